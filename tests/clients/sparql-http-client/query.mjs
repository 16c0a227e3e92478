// Runs one SPARQL query with sparql-http-client's default (stream) client and prints what it read, as JSON.
// Usage: node query.mjs ENDPOINT select|ask|construct get|postUrlencoded|postDirect < query.rq
// select: [{variable: term}], ask: true|false, construct: [[subject, predicate, object]], where a term is
// {termType, value, language, datatype} as the RDF/JS terms the client gives.
import SparqlClient from "sparql-http-client";

const [endpointUrl, kind, operation] = process.argv.slice(2);

function term(value) {
  const found = { termType: value.termType, value: value.value };
  if (value.termType === "Literal") {
    found.language = value.language;
    found.datatype = value.datatype.value;
  }
  return found;
}

async function collect(stream, each) {
  const items = [];
  for await (const item of stream) {
    items.push(each(item));
  }
  return items;
}

async function run(query) {
  const client = new SparqlClient({ endpointUrl });
  if (kind === "select") {
    const rows = client.query.select(query, { operation });
    return collect(rows, (row) => Object.fromEntries(Object.entries(row).map(([name, value]) => [name, term(value)])));
  }
  if (kind === "ask") {
    return client.query.ask(query, { operation });
  }
  if (kind === "construct") {
    const quads = client.query.construct(query, { operation });
    return collect(quads, (quad) => [term(quad.subject), term(quad.predicate), term(quad.object)]);
  }
  throw new Error(`unknown kind of query: ${kind}`);
}

let query = "";
for await (const chunk of process.stdin) {
  query += chunk;
}
try {
  process.stdout.write(JSON.stringify(await run(query)));
} catch (error) {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
}
