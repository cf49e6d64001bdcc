/**
 * Validates a parsed `--json` document against schema/result.schema.json (JSON Schema draft
 * 2020-12) with ajv in strict mode. On failure it throws one error listing every violation
 * (instance path, message, params), so a test shows all that is wrong at once.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';

export const SCHEMA_PATH = new URL('../../schema/result.schema.json', import.meta.url);

let validator: ValidateFunction | undefined;

/** The compiled validator (compiled once per test file). */
export function reportValidator(): ValidateFunction {
  if (validator === undefined) {
    const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object;
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    validator = ajv.compile(schema);
  }
  return validator;
}

/** One line per error: `/results/0/wallMs: must be number {"type":"number"}`. */
export function formatSchemaErrors(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map((e) => `${e.instancePath === '' ? '(root)' : e.instancePath}: ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`)
    .join('\n');
}

/** Returns the list of schema violations of `doc` (empty when valid). */
export function schemaErrors(doc: unknown): string[] {
  const validate = reportValidator();
  if (validate(doc)) return [];
  return formatSchemaErrors(validate.errors).split('\n');
}

/** Throws, listing every violation, unless `doc` is a valid report document. */
export function expectValidReport(doc: unknown): void {
  const errors = schemaErrors(doc);
  if (errors.length > 0) {
    throw new Error(`the JSON document does not match schema/result.schema.json (${errors.length} error${errors.length === 1 ? '' : 's'}):\n${errors.join('\n')}`);
  }
}
