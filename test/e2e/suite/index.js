// In-host test entry (extensionTestsPath): runs every *.test.js here with mocha (BDD) and writes pass/fail counts for the runner.
const fs = require('fs');
const path = require('path');

exports.run = function run() {
  const Mocha = require(process.env.PERF_ADVISOR_E2E_MOCHA);
  const mocha = new Mocha({ ui: 'bdd', timeout: 60000, color: false, reporter: 'spec' });
  for (const file of fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort())
    mocha.addFile(path.join(__dirname, file));
  const results = { passed: 0, failed: 0, failures: [] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      if (process.env.PERF_ADVISOR_E2E_RESULTS)
        fs.writeFileSync(process.env.PERF_ADVISOR_E2E_RESULTS, JSON.stringify(results, null, 2));
      if (failures > 0) reject(new Error(`${failures} in-host test(s) failed`));
      else resolve();
    });
    runner.on('pass', () => results.passed++);
    runner.on('fail', (test, error) => {
      results.failed++;
      results.failures.push({
        title: test.fullTitle(),
        error: String(error && error.message ? error.message : error).slice(0, 2000),
      });
    });
  });
};
