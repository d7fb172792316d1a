// Builds a deterministic value that satisfies a JSON Schema: used for offline `response_format: json_schema`
// replies and for offline tool-call arguments. Covers the subset that zod/OpenAI structured outputs emit
// ($ref/$defs, anyOf, enum/const, nullable type arrays, min/max bounds); `pattern` is not attempted.
import { isRecord, type JsonObject } from "./http";

export interface SampleOptions {
  // false for tool arguments: optional parameters are left to the backend's own defaults.
  includeOptional: boolean;
  // Lets callers put meaningful values into well-known fields (days, query, expression...).
  override?: (key: string, schema: JsonObject) => unknown;
  phrase: (key: string) => string;
  stringList: (key: string) => string[];
  today: string;
}

const MAX_DEPTH = 12;

function resolveRef(schema: JsonObject, root: JsonObject): JsonObject {
  let current = schema;
  for (let hops = 0; hops < 16 && typeof current.$ref === "string"; hops++) {
    const ref = current.$ref;
    if (ref === "#") return root;
    if (!ref.startsWith("#/")) return {};
    let target: unknown = root;
    for (const part of ref.slice(2).split("/")) {
      const key = part.replaceAll("~1", "/").replaceAll("~0", "~");
      target = isRecord(target) ? target[key] : undefined;
    }
    current = isRecord(target) ? target : {};
  }
  return current;
}

function isNullSchema(schema: unknown): boolean {
  return isRecord(schema) && (schema.type === "null" || schema.const === null);
}

// Collapses composition keywords into one concrete schema: first non-null branch, merged allOf.
function normalise(raw: unknown, root: JsonObject): JsonObject {
  if (!isRecord(raw)) return {};
  let schema = resolveRef(raw, root);
  for (const key of ["anyOf", "oneOf"] as const) {
    const branches = schema[key];
    if (Array.isArray(branches) && branches.length > 0) {
      const chosen = branches.find((b) => !isNullSchema(b)) ?? branches[0];
      const { [key]: _dropped, ...rest } = schema;
      schema = { ...rest, ...normalise(chosen, root) };
    }
  }
  if (Array.isArray(schema.allOf)) {
    const merged: JsonObject = { ...schema, allOf: undefined };
    const properties: JsonObject = isRecord(schema.properties) ? { ...schema.properties } : {};
    const required = new Set<string>(Array.isArray(schema.required) ? schema.required.map(String) : []);
    for (const part of schema.allOf) {
      const sub = normalise(part, root);
      Object.assign(merged, sub);
      if (isRecord(sub.properties)) Object.assign(properties, sub.properties);
      if (Array.isArray(sub.required)) for (const r of sub.required) required.add(String(r));
    }
    merged.properties = properties;
    merged.required = [...required];
    schema = merged;
  }
  return schema;
}

function schemaType(schema: JsonObject): string | undefined {
  const type = schema.type;
  if (typeof type === "string") return type;
  if (Array.isArray(type)) {
    const first = type.find((t) => t !== "null") ?? type[0];
    return typeof first === "string" ? first : undefined;
  }
  if (isRecord(schema.properties)) return "object";
  if (schema.items !== undefined) return "array";
  return undefined;
}

function numberIn(schema: JsonObject, preferred: number, integer: boolean): number {
  let value = preferred;
  const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);
  const min = num(schema.minimum);
  const exMin = num(schema.exclusiveMinimum);
  const max = num(schema.maximum);
  const exMax = num(schema.exclusiveMaximum);
  const step = integer ? 1 : 0.5;
  if (min !== undefined && value < min) value = min;
  if (exMin !== undefined && value <= exMin) value = exMin + step;
  if (max !== undefined && value > max) value = max;
  if (exMax !== undefined && value >= exMax) value = exMax - step;
  return integer ? Math.ceil(value) : value;
}

// Format defaults only replace generic phrases; a caller's override is assumed to already fit the format.
function stringIn(schema: JsonObject, preferred: string, today: string, keepPreferred = false): string {
  const format = keepPreferred ? undefined : schema.format;
  let value = preferred;
  if (format === "date") value = today;
  else if (format === "date-time") value = `${today}T12:00:00Z`;
  else if (format === "time") value = "12:00:00";
  else if (format === "email") value = "user@example.com";
  else if (format === "uri" || format === "url") value = "https://example.com/";
  else if (format === "uuid") value = "00000000-0000-4000-8000-000000000000";
  const minLength = typeof schema.minLength === "number" ? schema.minLength : 0;
  const maxLength = typeof schema.maxLength === "number" ? schema.maxLength : Number.POSITIVE_INFINITY;
  while (value.length < minLength) value = `${value} ok`.trimStart();
  return value.length > maxLength ? value.slice(0, maxLength).trimEnd() || value.slice(0, maxLength) : value;
}

function fitsType(value: unknown, type: string | undefined): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "integer":
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "array":
      return Array.isArray(value);
    case "object":
      return isRecord(value);
    default:
      return value !== undefined;
  }
}

function sample(raw: unknown, key: string, root: JsonObject, opts: SampleOptions, depth: number): unknown {
  const schema = normalise(raw, root);
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    const wanted = opts.override?.(key, schema);
    return schema.enum.includes(wanted) ? wanted : schema.enum[0];
  }
  const type = schemaType(schema);
  const wanted = depth > 0 ? opts.override?.(key, schema) : undefined;
  if (wanted !== undefined && fitsType(wanted, type)) {
    if (typeof wanted === "number") return numberIn(schema, wanted, type === "integer");
    if (typeof wanted === "string") return stringIn(schema, wanted, opts.today, true);
    return wanted;
  }
  if (depth >= MAX_DEPTH) return type === "array" ? [] : type === "object" ? {} : null;

  switch (type) {
    case "object": {
      const properties = isRecord(schema.properties) ? schema.properties : {};
      const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
      const out: JsonObject = {};
      for (const [name, sub] of Object.entries(properties)) {
        if (opts.includeOptional || required.has(name)) out[name] = sample(sub, name, root, opts, depth + 1);
      }
      return out;
    }
    case "array": {
      const items = normalise(schema.items, root);
      const minItems = typeof schema.minItems === "number" ? schema.minItems : 0;
      const maxItems = typeof schema.maxItems === "number" ? schema.maxItems : Number.POSITIVE_INFINITY;
      if (schemaType(items) === "string" && items.enum === undefined && items.const === undefined) {
        const list = opts.stringList(key).slice(0, Math.min(3, maxItems));
        while (list.length < minItems) list.push(`${opts.phrase(key)} ${list.length + 1}`);
        return list.map((s) => stringIn(items, s, opts.today));
      }
      const count = Math.min(Math.max(minItems, 1), maxItems);
      return Array.from({ length: count }, () => sample(items, key, root, opts, depth + 1));
    }
    case "string":
      return stringIn(schema, opts.phrase(key), opts.today);
    case "integer":
      return numberIn(schema, 0, true);
    case "number":
      return numberIn(schema, 0, false);
    case "boolean":
      return false;
    case "null":
      return null;
    default:
      return opts.phrase(key);
  }
}

export function sampleFromSchema(schema: unknown, opts: SampleOptions): unknown {
  const root = isRecord(schema) ? schema : {};
  return sample(root, "", root, opts, 0);
}
