// jsonld.js with its default Node.js document loader, allowed to fetch only under the base we serve:
// reads a JSON-LD document (a URL under the base, or "-" for standard input) and prints, as JSON, its
// N-Quads and the URLs the loader fetched.
//   node to-rdf.mjs BASE URL|-
import jsonld from "jsonld";

const [base, source] = process.argv.slice(2);
const fetchFromNode = jsonld.documentLoaders.node();
const fetched = [];

jsonld.documentLoader = async (url, options) => {
  if (!url.startsWith(base)) {
    throw new Error(`refused to fetch ${url}: only ${base} may be fetched`);
  }
  fetched.push(url);
  return fetchFromNode(url, options);
};

async function input() {
  if (source !== "-") return source;
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

const nquads = await jsonld.toRDF(await input(), { format: "application/n-quads" });
process.stdout.write(JSON.stringify({ nquads, fetched }));
