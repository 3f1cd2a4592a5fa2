/**
 * The emulators process's settings (`node emulators/dist/main.js`), read here only; runEmulators
 * parses and checks them (ports, the config file):
 *   EMU_BLUECONIC_PORT, EMU_COPERNICA_PORT  ports (default 0: any free port)
 *   EMU_CONFIG                              JSON file {"blueconic": {...}, "copernica": {...}}
 */
export function loadEmulatorEnv(source: NodeJS.ProcessEnv = process.env): Record<'EMU_BLUECONIC_PORT' | 'EMU_COPERNICA_PORT' | 'EMU_CONFIG', string | undefined> {
  return { EMU_BLUECONIC_PORT: source.EMU_BLUECONIC_PORT, EMU_COPERNICA_PORT: source.EMU_COPERNICA_PORT, EMU_CONFIG: source.EMU_CONFIG };
}
