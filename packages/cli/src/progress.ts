export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressOptions {
  /** Nothing is drawn before a run has taken this long: short runs stay silent. */
  readonly delayMs?: number;
  /** Redraw at most this often. */
  readonly intervalMs?: number;
  readonly now?: () => number;
}

/**
 * A one-line status on stderr for long runs, redrawn in place. Only on a terminal: in CI logs and
 * redirected output a carriage-return animation is noise, so it draws nothing there at all.
 */
export class Progress {
  private readonly enabled: boolean;
  private readonly delayMs: number;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly startedAt: number;
  private lastDrawAt = -Infinity;
  private drawn = false;

  constructor(
    private readonly stream: ProgressStream,
    options: ProgressOptions = {},
  ) {
    this.enabled = stream.isTTY === true;
    this.delayMs = options.delayMs ?? 1000;
    this.intervalMs = options.intervalMs ?? 100;
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
  }

  /** Shows `text` if the run is long enough and the last redraw is old enough. */
  update(text: string | (() => string)): void {
    if (!this.enabled) return;
    const now = this.now();
    if (now - this.startedAt < this.delayMs || now - this.lastDrawAt < this.intervalMs) return;
    this.lastDrawAt = now;
    this.drawn = true;
    this.stream.write(`\r\u001b[2K${typeof text === "function" ? text() : text}`);
  }

  /** Clears the status line, so the report starts on a clean line. */
  done(): void {
    if (!this.drawn) return;
    this.stream.write("\r\u001b[2K");
    this.drawn = false;
  }
}
