/** The CLI's version, printed by `--version` and written into SARIF logs. */
export const VERSION = '0.1.0';
