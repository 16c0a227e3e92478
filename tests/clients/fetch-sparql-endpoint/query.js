// Runs one SPARQL query with fetch-sparql-endpoint and prints what the client read, as JSON on stdout.
// Usage: node query.js ENDPOINT select|ask|construct GET|POST < query.rq
// select: [{variable: term}], ask: true|false, construct: [[subject, predicate, object]], where a term is
// {termType, value, language, datatype} as the RDF/JS terms the client gives.
"use strict";
const { SparqlEndpointFetcher } = require("fetch-sparql-endpoint");

const [endpoint, kind, method] = process.argv.slice(2);

function term(value) {
  const found = { termType: value.termType, value: value.value };
  if (value.termType === "Literal") {
    found.language = value.language;
    found.datatype = value.datatype.value;
  }
  return found;
}

function collect(stream, each) {
  return new Promise((resolve, reject) => {
    const items = [];
    stream.on("data", (item) => items.push(each(item)));
    stream.on("error", reject);
    stream.on("end", () => resolve(items));
  });
}

async function run(query) {
  const fetcher = new SparqlEndpointFetcher({ method, timeout: 60000 });
  if (kind === "select") {
    const rows = await fetcher.fetchBindings(endpoint, query);
    return collect(rows, (row) => Object.fromEntries(Object.entries(row).map(([name, value]) => [name, term(value)])));
  }
  if (kind === "ask") {
    return fetcher.fetchAsk(endpoint, query);
  }
  if (kind === "construct") {
    const triples = await fetcher.fetchTriples(endpoint, query);
    return collect(triples, (quad) => [term(quad.subject), term(quad.predicate), term(quad.object)]);
  }
  throw new Error(`unknown kind of query: ${kind}`);
}

let query = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (query += chunk));
process.stdin.on("end", () => {
  run(query).then(
    (answer) => process.stdout.write(JSON.stringify(answer)),
    (error) => {
      process.stderr.write(`${error.stack || error}\n`);
      process.exit(1);
    },
  );
});
