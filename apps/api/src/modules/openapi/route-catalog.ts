import { Injectable, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ENDPOINT, type EndpointSpec } from '../../common/endpoint/endpoint';

export const API_PREFIX = 'api/v1';
/** SCIM 2.0 provisioning has its own root, where SCIM clients expect it (docs/identity.md, "SCIM provisioning"). */
export const SCIM_ROOT = 'scim/v2';
/** Operational routes that live outside the versioned API prefix, and the SCIM routes. */
export const UNPREFIXED_ROUTES = ['healthz', 'readyz', 'metrics', 'api/openapi.json', 'api/docs', 'api/docs/init.js', `${SCIM_ROOT}/{*path}`];
const isUnprefixed = (relative: string) => UNPREFIXED_ROUTES.includes(relative) || relative.startsWith(`${SCIM_ROOT}/`);

export interface CatalogRoute {
  method: string;
  path: string;
  spec: EndpointSpec | undefined;
  handler: string;
}

/**
 * SCIM routes are described by SCIM's own discovery (ServiceProviderConfig, ResourceTypes, Schemas:
 * RFC 7644 §4), which Okta and Entra ID read, and answer SCIM errors rather than problem documents;
 * the OpenAPI document describes the /api/v1 API only (docs/identity.md, "SCIM provisioning").
 */
export const inOpenApiDocument = (route: CatalogRoute) => !route.path.startsWith(`/${SCIM_ROOT}/`);

const joinPath = (...parts: string[]) =>
  '/' +
  parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/');

/** Every HTTP route of the app with its declared Endpoint: the source for OpenAPI and the permission snapshot. */
@Injectable()
export class RouteCatalog {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  routes(): CatalogRoute[] {
    const routes: CatalogRoute[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance) continue;
      const prototype = Object.getPrototypeOf(instance) as Record<string, () => unknown>;
      const controllerPath = (wrapper.metatype ? (Reflect.getMetadata(PATH_METADATA, wrapper.metatype) as string | undefined) : undefined) ?? '';
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        const methodPath = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (methodPath === undefined || method === undefined) continue;
        const relative = joinPath(controllerPath, methodPath);
        const unprefixed = isUnprefixed(relative.slice(1));
        routes.push({
          method: RequestMethod[method],
          path: unprefixed ? relative : joinPath(API_PREFIX, relative),
          spec: this.reflector.get<EndpointSpec | undefined>(ENDPOINT, handler),
          handler: `${wrapper.name}.${name}`,
        });
      }
    }
    return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  }
}
