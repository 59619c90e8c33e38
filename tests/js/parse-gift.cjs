// Parse a GIFT file with the independent gift-pegjs parser and print the result as JSON.
const { parse } = require("gift-pegjs");
const fs = require("fs");
process.stdout.write(JSON.stringify(parse(fs.readFileSync(process.argv[2], "utf8"))));
