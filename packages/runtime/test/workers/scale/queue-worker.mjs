// A `work()` consumer in its own process: node queue-worker.mjs <scale module> <name> <options JSON>.
// Prints "ready" once it takes jobs; SIGINT/SIGTERM are work()'s to handle.
const [scaleModule, name, optionsJson] = process.argv.slice(2)
const { work } = await import(scaleModule)
await work(name, new URL('./queue-task.mjs', import.meta.url), JSON.parse(optionsJson))
process.stdout.write('ready\n')
