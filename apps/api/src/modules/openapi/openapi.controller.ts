import { Controller, Get, Header, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Endpoint, PUBLIC } from '../../common/endpoint/endpoint';
import { buildOpenApiDocument } from './openapi-document';
import { RouteCatalog } from './route-catalog';

const DOCS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Retract API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script></body></html>`;

const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true });`;

@Controller()
export class OpenApiController {
  private document?: Record<string, unknown>;

  constructor(private readonly catalog: RouteCatalog) {}

  @Get('api/openapi.json')
  @Endpoint({ summary: 'This OpenAPI 3.1 document', tags: ['operations'], access: PUBLIC, produces: 'application/json' })
  openapi() {
    this.document ??= buildOpenApiDocument(this.catalog.routes(), process.env.npm_package_version ?? '0.1.0');
    return this.document;
  }

  @Get('api/docs')
  @Header('content-type', 'text/html; charset=utf-8')
  @Endpoint({ summary: 'Interactive API documentation', tags: ['operations'], access: PUBLIC, produces: 'text/html' })
  docs(@Res() reply: FastifyReply) {
    void reply.send(DOCS_HTML);
  }

  @Get('api/docs/init.js')
  @Header('content-type', 'application/javascript; charset=utf-8')
  @Endpoint({ summary: 'Documentation UI bootstrap', tags: ['operations'], access: PUBLIC, produces: 'application/javascript' })
  docsInit(@Res() reply: FastifyReply) {
    void reply.send(DOCS_INIT);
  }
}
