// Decode YAML files with js-yaml 4 (YAML 1.2, the parser of JavaScript
// CloudFormation tools) and print one JSON object: {path: decoded template}
// ({"error": msg} for a file js-yaml rejects). Used by
// stacks/trust_parsers_test.go; js-yaml is pinned in guard/package.json.
//
// CloudFormation short-form tags become their long form ({"Ref": ...},
// {"Fn::Sub": ...}, {"Fn::GetAtt": [res, attr]}). Values JSON cannot hold are
// written as {"$yaml": type, "value": text}, so a date never passes as a string.
"use strict";
const fs = require("fs");
const path = require("path");
const yaml = require(path.join(__dirname, "guard", "node_modules", "js-yaml"));

const functions = ["Ref", "Condition", "Sub", "GetAtt", "Join", "Select", "Split", "If", "Equals", "And", "Or",
  "Not", "FindInMap", "ImportValue", "Base64", "Cidr", "GetAZs", "Length", "ToJsonString", "Transform"];

const types = [];
for (const fn of functions) {
  const name = fn === "Ref" || fn === "Condition" ? fn : "Fn::" + fn;
  for (const kind of ["scalar", "sequence", "mapping"]) {
    types.push(new yaml.Type("!" + fn, {
      kind,
      construct: (data) => {
        if (kind === "scalar" && name === "Fn::GetAtt") {
          const dot = data.indexOf(".");
          data = dot < 0 ? [data] : [data.slice(0, dot), data.slice(dot + 1)];
        }
        if (kind === "scalar" && data === null) data = "";
        return { [name]: data };
      },
    }));
  }
}
const schema = yaml.DEFAULT_SCHEMA.extend(types);

function portable(value) {
  if (value instanceof Date) return { $yaml: "timestamp", value: value.toISOString() };
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return { $yaml: "binary", value: Buffer.from(value).toString("hex") };
  if (typeof value === "number" && !Number.isFinite(value)) return { $yaml: "float", value: String(value) };
  if (Array.isArray(value)) return value.map(portable);
  if (value && typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = portable(v);
    return out;
  }
  return value;
}

const out = {};
for (const file of process.argv.slice(2)) {
  try {
    out[file] = portable(yaml.load(fs.readFileSync(file, "utf8"), { schema, filename: file }));
  } catch (e) {
    out[file] = { error: String(e.message || e) };
  }
}
process.stdout.write(JSON.stringify(out));
