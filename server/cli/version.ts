// The tool's version (from package.json, bundled by esbuild) and home page, shown by --version and in SARIF.
import manifest from '../../package.json';

export const TOOL_VERSION: string = manifest.version;
export const INFORMATION_URI = 'https://github.com/perf-advisor/perf-advisor';
