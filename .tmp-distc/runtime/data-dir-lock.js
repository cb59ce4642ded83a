import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
/**
 * PGlite is a database in one process: two processes opening the same data folder would
 * corrupt it. Whoever opens the folder (the server, or a CLI command while the server is
 * stopped) holds a pid file there; a second opener is refused with a clear message.
 */
export function lockDataDir(dataDir) {
    mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, 'tapis.pid');
    if (existsSync(file)) {
        const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
        if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) {
            throw new Error(`another tapis process (pid ${pid}) is using the data folder ${path.resolve(dataDir)}; stop it first, or use a PostgreSQL server (DATABASE_URL) to run the CLI beside the server`);
        }
    }
    writeFileSync(file, String(process.pid));
    return () => {
        try {
            if (readFileSync(file, 'utf8') === String(process.pid))
                rmSync(file);
        }
        catch {
            // already gone
        }
    };
}
function isAlive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (error) {
        return error.code === 'EPERM';
    }
}
