// Structured JSON logs, one object per line. The sink is injectable so tests can capture or silence the lines.
export type LogLevel = 'info' | 'warn' | 'error';
export type LogSink = (line: string) => void;

export interface Logger {
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
}

export const stdoutSink: LogSink = (line) => process.stdout.write(`${line}\n`);

export const createLogger = (sink: LogSink = stdoutSink): Logger => ({
  log: (level, msg, fields = {}) => sink(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })),
});

export const silentLogger: Logger = { log: () => undefined };
