// Progress for steps that take more than a second, on a terminal only: a line that redraws in place on stderr.
// Off a TTY (CI, pipes) nothing is drawn, so logs stay clean.

const DELAY_MS = 1000;
const WIDTH = 28;

export interface Progress {
  /** Starts a named step; the bar appears only if the step is still running after a second. */
  step(label: string): void;
  /** Known work done / total, for a bar; without it a spinner turns. */
  update(done: number, total: number): void;
  done(): void;
}

export const progress = (stream: NodeJS.WriteStream = process.stderr): Progress => {
  const tty = Boolean(stream.isTTY) && !process.env.CI;
  let label = '';
  let startedAt = 0;
  let drawn = false;
  let fraction: number | null = null;
  let timer: NodeJS.Timeout | null = null;
  let frame = 0;

  const draw = (): void => {
    if (!tty || Date.now() - startedAt < DELAY_MS) return;
    const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
    const bar = fraction === null ? '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏'[frame++ % 10]! : `[${'█'.repeat(Math.round(fraction * WIDTH)).padEnd(WIDTH, '░')}] ${Math.round(fraction * 100)}%`;
    stream.write(`\r\x1b[2K${label} ${bar} ${seconds}s`);
    drawn = true;
  };
  const clear = (): void => {
    if (timer) clearInterval(timer);
    timer = null;
    if (drawn) stream.write('\r\x1b[2K');
    drawn = false;
  };

  return {
    step(next) {
      clear();
      label = next;
      startedAt = Date.now();
      fraction = null;
      if (tty) {
        timer = setInterval(draw, 120);
        timer.unref();
      }
    },
    update(done, total) {
      fraction = total > 0 ? Math.min(1, done / total) : null;
      draw();
    },
    done: clear,
  };
};
