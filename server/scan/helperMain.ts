// Entry of a scan helper thread when run from source (tests, through tsx); the bundles start their helpers themselves.
import { isScanHelperThread, startScanHelper } from './helper';

if (!isScanHelperThread()) throw new Error('helperMain.ts is started by a scan pool as a worker thread');
startScanHelper();
