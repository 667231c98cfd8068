#!/usr/bin/env bash
# `npm run rocketchat:package`: packages the Rocket.Chat App (apps/rocketchat-app/app) with the
# Rocket.Chat Apps CLI into apps/rocketchat-app/dist/retract_<version>.zip. The CLI is run with npx,
# not kept in the workspace (its TypeScript 3 and oclif 1 dependencies would pin old versions in the
# lock file). rc-apps reads the engine from the app folder's node_modules: a staging copy of the
# app links the workspace's. docs/integration.md, "Rocket.Chat", says what this needs from the registry.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
cp -R "$here/app/." "$stage/"
ln -s "$root/node_modules" "$stage/node_modules"
if ! (cd "$stage" && npx --yes --package @rocket.chat/apps-cli@1.9.0 -- rc-apps package --verbose); then
  echo "rc-apps could not package the app with the packages this registry offers: see apps/rocketchat-app/README.md (Packaging) and docs/integration.md (Rocket.Chat)." >&2
  exit 1
fi
mkdir -p "$here/dist"
cp "$stage"/dist/*.zip "$here/dist/"
ls -l "$here/dist"
