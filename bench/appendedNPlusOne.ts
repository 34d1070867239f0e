// The N+1 the benches append to a large file so it has a finding to refresh: a request handler's loop over what the client sent.
/**
 * A route fills `ids` from the request body (a traced origin that grows), so the loop is reported under default
 * settings; a loop over a parameter no caller fills would be silent (`untracedParameters: 'silent'`).
 */
export const APPENDED_N_PLUS_ONE = `
const benchPool = new (require('pg').Pool)();
async function benchOwnersOf(ids) {
  const owners = [];
  for (const id of ids) owners.push(await benchPool.query('SELECT * FROM owners WHERE id = $1', [id]));
  return owners;
}
require('express')().post('/owners', async (req, res) => res.json(await benchOwnersOf(req.body.ids)));
module.exports.benchOwnersOf = benchOwnersOf;
`;
