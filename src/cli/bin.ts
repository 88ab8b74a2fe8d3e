import { main } from './main.js';

// The executable entry point (bin/tokenward.js loads its compiled form).
process.exitCode = await main(process.argv);
