// Read a PDF form's fields with pdf.js (Mozilla's reader, as in Firefox) and print, as JSON,
// each field's name with, for each of its widgets, its type, value and on-state (export value).
import { readFileSync } from "node:fs";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

const data = new Uint8Array(readFileSync(process.argv[2]));
const pdf = await getDocument({ data, verbosity: 0 }).promise;
const fields = (await pdf.getFieldObjects()) ?? {};
const result = {};
for (const [name, all] of Object.entries(fields)) {
  // pdf.js lists a radio group itself too, untyped: only its widgets carry values.
  const widgets = all.filter((w) => w.type);
  result[name] = widgets.map((w) => ({
    type: w.type,
    value: w.value ?? null,
    exportValue: w.exportValues ?? null,
  }));
}
process.stdout.write(JSON.stringify(result));
await pdf.destroy();
