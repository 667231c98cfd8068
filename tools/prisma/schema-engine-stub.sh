#!/bin/sh
# `prisma generate` insists on locating a schema engine but does not use it; migrations are
# applied by dbmate, so this stub stands in for the engine the CLI would otherwise download.
echo "schema engine is not available: migrations are applied with dbmate" >&2
exit 1
