import { startClientProcess } from "./http-client.js";
import { startBareServer, startOursServer } from "./http-servers.js";

const client = await startClientProcess();
for (let round = 0; round < 3; round++) {
  for (const [name, start] of [["bare", startBareServer], ["ours", startOursServer]] as const) {
    const server = await start();
    const result = await client.load(server.url, 1500, 16);
    await server.close();
    console.log(name, (result.pairs / (result.elapsedMs / 1000)).toFixed(0), result.failures);
  }
}
await client.close();
