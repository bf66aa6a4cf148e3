// Checks a JSON answer against the schema docs/openapi.yaml gives it (JSON Schema 2020-12, as OpenAPI 3.1 uses, with ajv).
// Usage: node validate-response.mjs <openapi.yaml> <path> <method> <status> <answer.json>
// Prints "valid" or the validator's errors as JSON and exits 1.
import { readFile } from 'node:fs/promises';
import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv2020 from 'ajv/dist/2020.js';

const [file, path, method, status, answerFile] = process.argv.slice(2);
const api = await SwaggerParser.dereference(file);
const schema = api.paths[path]?.[method]?.responses?.[status]?.content?.['application/json']?.schema;
if (!schema) {
  console.error(`no application/json schema for ${method} ${path} ${status}`);
  process.exit(2);
}

// OpenAPI's own keywords (description, examples…) are annotations; formats are not asserted here.
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
const validate = ajv.compile(schema);
const answer = JSON.parse(await readFile(answerFile, 'utf8'));
if (validate(answer)) {
  console.log('valid');
} else {
  console.log(JSON.stringify(validate.errors));
  process.exit(1);
}
