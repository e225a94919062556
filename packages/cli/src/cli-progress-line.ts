/**
 * Progress of long work: a bar (cli-progress) when stdout is a terminal, a few plain lines
 * otherwise (logs and CI keep them readable), nothing in `--json` mode.
 */
import cliProgress from 'cli-progress'

// model

export interface Progress {
  readonly start: (label: string, total: number) => void
  readonly update: (done: number) => void
  readonly stop: () => void
}

export interface ProgressMode {
  /** Draw a bar: stdout is a terminal and no `--json`. */
  readonly bar: boolean
  /** Say nothing (`--json`). */
  readonly quiet: boolean
  /** Where plain progress lines go (stderr, so that stdout holds only the result). */
  readonly line: (text: string) => void
}

// constructors

export const progress = (mode: ProgressMode): Progress => {
  if (mode.quiet) return { start: () => undefined, update: () => undefined, stop: () => undefined }
  if (mode.bar) {
    const bar = new cliProgress.SingleBar(
      { format: '{label} [{bar}] {value}/{total} {percentage}% | {eta_formatted} left', hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    )
    return {
      start: (label, total) => bar.start(total, 0, { label }),
      update: (done) => bar.update(done),
      stop: () => bar.stop(),
    }
  }
  // Plain lines at each tenth, so a long run logs ten lines, not thousands.
  let label = ''
  let total = 0
  let shown = -1
  return {
    start: (l, t) => {
      label = l
      total = t
      shown = 0
      mode.line(`${label}: 0/${total}`)
    },
    update: (done) => {
      const tenth = total === 0 ? 10 : Math.floor((done * 10) / total)
      if (tenth > shown && tenth < 10) {
        shown = tenth
        mode.line(`${label}: ${done}/${total}`)
      }
    },
    stop: () => mode.line(`${label}: done`),
  }
}
