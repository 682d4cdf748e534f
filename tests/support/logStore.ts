import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { freePort, pinnedBinary, waitFor } from "./tools";

/** The pinned VictoriaLogs, as lab/build-releases.sh packs it in upstream's layout. */
const storeBinary = () => pinnedBinary("victoria-logs/v1.52.2/victoria-logs-linux-amd64-v1.52.2.tar.gz", "victoria-logs-prod");

/** A running log store on the loopback: where it listens, its process, and the Authorization header of its user. */
export interface LocalLogStore {
    readonly port: number;
    readonly process: ChildProcess;
    readonly authorization: string;
}

/**
 * Starts the pinned VictoriaLogs on a free loopback port over plain HTTP with basic auth (the
 * password read from a file in `work`, as the stack passes it), its data in `work`; resolves once
 * it answers /health.
 */
export async function startLogStore(work: string, auth: { readonly username: string; readonly password: string }): Promise<LocalLogStore> {
    const port = await freePort();
    const passwordFile = path.join(work, "store-password");
    fs.writeFileSync(passwordFile, auth.password);
    const process = spawn(
        storeBinary(),
        [
            `-httpListenAddr=127.0.0.1:${port}`,
            `-storageDataPath=${path.join(work, "store")}`,
            `-httpAuth.username=${auth.username}`,
            `-httpAuth.password=file://${passwordFile}`,
        ],
        { stdio: "ignore" },
    );
    await waitFor("the log store", 30, async () => ((await fetch(`http://127.0.0.1:${port}/health`)).ok ? true : undefined));
    return { port, process, authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}` };
}
