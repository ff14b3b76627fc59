// `node --import ./record-loads.mjs app.js`: appends the URL of every module Node loads to the
// file named by CLI_OPTIMIZER_LOAD_LOG. The hook runs on Node's loader thread and writes
// synchronously, so nothing is lost when the program exits.
import { register } from 'node:module'

const hooks = `
import { appendFileSync } from 'node:fs';
let log;
export async function initialize(data) { log = data.log; }
export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  if (log && url.startsWith('file:')) appendFileSync(log, url + '\\n');
  return result;
}
`

register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { log: process.env.CLI_OPTIMIZER_LOAD_LOG } })
