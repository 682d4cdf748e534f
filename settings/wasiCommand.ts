import * as crypto from "crypto";

/*
 * Runs a WASI (preview 1) command to completion inside this process, in plain JavaScript: its
 * standard input is a buffer, its standard output and error are collected, it has no arguments
 * beyond its name, no environment, no files and no network. Node's own node:wasi is not used: in
 * Node 20 it is experimental native code that warns on stderr (which a preview shows) and needs
 * real file descriptors, and a crash in it takes the whole program down with it.
 *
 * The imports are the ones a Go wasip1 command asks for; any other import makes the command fail
 * to instantiate, by name, rather than misbehave.
 */

const errno = { success: 0, badf: 8 } as const;
const filetype = { characterDevice: 2 } as const;
const eventtype = { clock: 0 } as const;

/** Thrown by proc_exit to unwind the command; carries its exit code. */
class CommandExit {
    constructor(readonly code: number) {}
}

export interface CommandResult {
    readonly code: number;
    readonly stdout: Buffer;
    readonly stderr: Buffer;
}

/** Runs `module` as the command `name` with `stdin` as its input. */
export function runWasiCommand(module: WebAssembly.Module, name: string, stdin: Buffer): CommandResult {
    const instantiated: { memory?: WebAssembly.Memory } = {};
    let inputAt = 0;
    const written: Record<1 | 2, Buffer[]> = { 1: [], 2: [] };
    const args = [Buffer.from(`${name}\0`)];
    const view = () => new DataView(instantiated.memory!.buffer);
    const bytes = (at: number, length: number) => new Uint8Array(instantiated.memory!.buffer, at, length);

    /** Each of an iovec list's (address, length) pairs. */
    const iovecs = (list: number, count: number) =>
        Array.from({ length: count }, (_, i) => ({ at: view().getUint32(list + i * 8, true), length: view().getUint32(list + i * 8 + 4, true) }));
    /** Writes strings (NUL-terminated already) as pointer array plus packed buffer, as args_get and environ_get do. */
    const putStrings = (strings: Buffer[], pointers: number, buffer: number) => {
        let at = buffer;
        strings.forEach((s, i) => {
            view().setUint32(pointers + i * 4, at, true);
            bytes(at, s.length).set(s);
            at += s.length;
        });
        return errno.success;
    };
    const putSizes = (strings: Buffer[], count: number, size: number) => {
        view().setUint32(count, strings.length, true);
        view().setUint32(
            size,
            strings.reduce((sum, s) => sum + s.length, 0),
            true,
        );
        return errno.success;
    };
    const isStdio = (fd: number) => fd === 0 || fd === 1 || fd === 2;

    const imports = {
        args_sizes_get: (count: number, size: number) => putSizes(args, count, size),
        args_get: (pointers: number, buffer: number) => putStrings(args, pointers, buffer),
        environ_sizes_get: (count: number, size: number) => putSizes([], count, size),
        environ_get: () => errno.success,
        clock_time_get: (_clock: number, _precision: bigint, time: number) => {
            view().setBigUint64(time, process.hrtime.bigint(), true);
            return errno.success;
        },
        random_get: (at: number, length: number) => {
            crypto.randomFillSync(bytes(at, length));
            return errno.success;
        },
        sched_yield: () => errno.success,
        // A single-threaded command only polls to sleep; every clock subscription is reported due at once.
        poll_oneoff: (subscriptions: number, events: number, count: number, eventCount: number) => {
            for (let i = 0; i < count; i++) {
                const subscription = subscriptions + i * 48;
                const event = events + i * 32;
                bytes(event, 32).fill(0);
                view().setBigUint64(event, view().getBigUint64(subscription, true), true);
                view().setUint8(event + 10, view().getUint8(subscription + 8));
                if (view().getUint8(subscription + 8) !== eventtype.clock) view().setUint16(event + 8, errno.badf, true);
            }
            view().setUint32(eventCount, count, true);
            return errno.success;
        },
        proc_exit: (code: number) => {
            throw new CommandExit(code);
        },
        fd_read: (fd: number, list: number, count: number, readCount: number) => {
            if (fd !== 0) return errno.badf;
            let total = 0;
            for (const { at, length } of iovecs(list, count)) {
                const chunk = stdin.subarray(inputAt, inputAt + length);
                bytes(at, chunk.length).set(chunk);
                inputAt += chunk.length;
                total += chunk.length;
                if (chunk.length < length) break;
            }
            view().setUint32(readCount, total, true);
            return errno.success;
        },
        fd_write: (fd: number, list: number, count: number, writtenCount: number) => {
            if (fd !== 1 && fd !== 2) return errno.badf;
            let total = 0;
            for (const { at, length } of iovecs(list, count)) {
                written[fd].push(Buffer.from(bytes(at, length)));
                total += length;
            }
            view().setUint32(writtenCount, total, true);
            return errno.success;
        },
        fd_close: (fd: number) => (isStdio(fd) ? errno.success : errno.badf),
        fd_fdstat_get: (fd: number, stat: number) => {
            if (!isStdio(fd)) return errno.badf;
            bytes(stat, 24).fill(0);
            view().setUint8(stat, filetype.characterDevice);
            view().setBigUint64(stat + 8, 0xffffffffffffffffn, true);
            view().setBigUint64(stat + 16, 0xffffffffffffffffn, true);
            return errno.success;
        },
        fd_fdstat_set_flags: (fd: number) => (isStdio(fd) ? errno.success : errno.badf),
        // No preopened directories: the first probe (fd 3) ends the command's search for them.
        fd_prestat_get: () => errno.badf,
        fd_prestat_dir_name: () => errno.badf,
    };

    const instance = new WebAssembly.Instance(module, { wasi_snapshot_preview1: imports as unknown as WebAssembly.ModuleImports });
    instantiated.memory = instance.exports.memory as WebAssembly.Memory;
    let code = 0;
    try {
        (instance.exports._start as () => void)();
    } catch (thrown) {
        if (!(thrown instanceof CommandExit)) throw thrown;
        code = thrown.code;
    }
    return { code, stdout: Buffer.concat(written[1]), stderr: Buffer.concat(written[2]) };
}
