// Serves @elysiajs/openapi's document with every route's declared contract intact.
// The generator (node_modules/@elysiajs/openapi/dist/openapi.mjs, toOpenAPISchema) builds each
// operation from the route's `detail`, then overwrites `parameters` with those it derives from
// `params`/`query` and `responses` with those it derives from `response`: a route that has both would
// lose its header parameters and error responses. This merges them back, declared first. It also
// documents request bodies, which the generator leaves without content when a parser is a function
// (ours, src/http/body.ts, reads every body as JSON).
import { openapi } from "@elysiajs/openapi";
import { unwrapSchema } from "@elysiajs/openapi/openapi";
import { type DocumentDecoration, Elysia, type InternalRoute } from "elysia";

type Operation = DocumentDecoration;
type Parameter = NonNullable<Operation["parameters"]>[number];
type Responses = NonNullable<Operation["responses"]>;
type Schema = NonNullable<ReturnType<typeof unwrapSchema>>;
type RouteInput = Pick<InternalRoute, "method" | "path" | "hooks">;

type OpenApiConfig = NonNullable<Parameters<typeof openapi>[0]>;

interface OpenApiDocument {
  paths?: Record<string, Record<string, Operation | undefined> | undefined>;
}

/** The routes a route-less plugin sees; @elysiajs/openapi reads the same list (TS marks it protected). */
interface GlobalRoutes {
  getGlobalRoutes(): InternalRoute[];
}

/**
 * The openapi() plugin, whose document at `specPath` carries each route's `detail.parameters` and
 * `detail.responses` and its JSON body. The plugin caches its document until a route is added; so
 * does this.
 */
export function openapiWithDeclaredContract(config: OpenApiConfig & { specPath: string }) {
  const { specPath } = config;
  const completed = new WeakSet<object>();
  const wrapper = new Elysia({ name: "openapi-declared-contract" });
  return wrapper
    .onAfterHandle(({ path, response }) => {
      if (path !== specPath || typeof response !== "object" || response === null) return;
      if (completed.has(response)) return;
      const routes = (wrapper as unknown as GlobalRoutes).getGlobalRoutes();
      restoreDeclaredContract(response, routes, (schema) =>
        unwrapSchema(schema, config.mapJsonSchema, "input", config.openapiVersion),
      );
      completed.add(response);
    })
    .use(openapi(config));
}

/**
 * Puts each route's declared parameters and responses back into its operation and documents its body
 * as `application/json` (`toJsonSchema` converts the route's body schema), in place.
 */
function restoreDeclaredContract(
  document: OpenApiDocument,
  routes: readonly RouteInput[],
  toJsonSchema: (schema: NonNullable<RouteHooks["body"]>) => Schema | undefined,
): void {
  for (const route of routes) {
    const hooks = (route.hooks ?? {}) as RouteHooks;
    const detail = hooks.detail;
    if (!detail || detail.hide) continue;
    const operation = document.paths?.[toOpenApiPath(route.path)]?.[route.method.toLowerCase()];
    if (!operation) continue;
    if (detail.parameters) operation.parameters = mergeParameters(detail.parameters, operation.parameters);
    if (detail.responses) operation.responses = mergeResponses(operation.responses, detail.responses);
    const body = hooks.body === undefined ? undefined : toJsonSchema(hooks.body);
    if (body && operation.requestBody && !("$ref" in operation.requestBody)) {
      operation.requestBody = { ...operation.requestBody, content: { "application/json": { schema: body } } };
    }
  }
}

interface RouteHooks {
  detail?: Operation;
  body?: Parameters<typeof unwrapSchema>[0];
}

const toOpenApiPath = (path: string) => path.replace(/:([^/]+)/g, "{$1}");

const parameterKey = (parameter: Parameter) =>
  "$ref" in parameter ? parameter.$ref : `${parameter.in}:${parameter.name}`;

function mergeParameters(declared: Parameter[], generated: Parameter[] = []): Parameter[] {
  const seen = new Set(declared.map(parameterKey));
  return [...declared, ...generated.filter((parameter) => !seen.has(parameterKey(parameter)))];
}

/** A status both sides describe keeps the generated body schema and the declared description/headers. */
function mergeResponses(generated: Responses = {}, declared: Responses): Responses {
  const merged: Responses = { ...generated };
  for (const [status, response] of Object.entries(declared)) {
    const existing = merged[status];
    merged[status] =
      existing && !("$ref" in existing) && !("$ref" in response)
        ? {
            ...existing,
            ...response,
            ...(existing.content || response.content
              ? { content: { ...existing.content, ...response.content } }
              : {}),
          }
        : response;
  }
  return merged;
}
