// Library knowledge for HTTP clients: global fetch, undici, node-fetch/cross-fetch, axios and got. Each request is a round trip.
import type { HandleTypeInput, LibraryInput, MethodSpecInput } from './schema';

const batchForm = 'one request to a bulk endpoint (ids in the query or body), or a DataLoader';
// The method is in the options, so a bare call is counted as a read; it is a round trip either way.
const request: MethodSpecInput = { effect: 'read', batchForm };
const verbs = (reads: string[], writes: string[]): NonNullable<HandleTypeInput['methods']> => ({
  ...Object.fromEntries(reads.map((name) => [name, { effect: 'read', batchForm }])),
  ...Object.fromEntries(writes.map((name) => [name, { effect: 'write', batchForm }])),
});

export const fetchGlobal: LibraryInput = {
  id: 'fetch',
  roundTripNoun: 'request',
  globals: { fetch: { call: request } },
};

export const undici: LibraryInput = {
  id: 'undici',
  modules: ['undici'],
  roundTripNoun: 'request',
  exports: {
    fetch: { call: request },
    request: { call: request },
    stream: { call: request },
    Pool: { construct: 'Pool', type: 'Pool' },
    BalancedPool: { construct: 'Pool', type: 'Pool' },
    Agent: { construct: 'Pool', type: 'Pool' },
    Client: { construct: 'Client', type: 'Client' },
  },
  types: {
    Dispatcher: {
      methods: { request, stream: request, close: { lifecycle: 'close' }, destroy: { lifecycle: 'close' } },
    },
    Pool: { connection: 'pool', extends: ['Dispatcher'] },
    // One undici Client is one (keep-alive) connection to one origin.
    Client: { connection: 'client', extends: ['Dispatcher'] },
  },
};

export const nodeFetch: LibraryInput = {
  id: 'node-fetch',
  modules: ['node-fetch', 'cross-fetch'],
  roundTripNoun: 'request',
  exports: {
    default: { call: request },
    // v2 and cross-fetch are CommonJS: `require('node-fetch')` is the function.
    '*': { call: request },
    fetch: { call: request },
  },
};

export const axios: LibraryInput = {
  id: 'axios',
  modules: ['axios'],
  roundTripNoun: 'request',
  exports: {
    // The default export is a ready instance that is also callable: `axios.get(url)`, `axios({ url })`.
    default: { value: 'Axios', call: request },
    '*': { value: 'Axios', call: request },
    Axios: { construct: 'Axios', type: 'Axios' },
    AxiosInstance: { type: 'Axios' },
    AxiosStatic: { type: 'Axios' },
  },
  types: {
    Axios: {
      callable: request,
      methods: {
        ...verbs(
          ['get', 'head', 'options', 'request'],
          ['post', 'put', 'patch', 'delete', 'postForm', 'putForm', 'patchForm'],
        ),
        create: { returns: 'Axios' },
        getUri: {},
      },
    },
  },
};

export const got: LibraryInput = {
  id: 'got',
  modules: ['got'],
  roundTripNoun: 'request',
  exports: {
    default: { value: 'Got', call: request },
    got: { value: 'Got', call: request },
    '*': { value: 'Got', call: request },
    Got: { type: 'Got' },
  },
  types: {
    Got: {
      callable: request,
      properties: { paginate: 'Paginate' },
      methods: {
        ...verbs(['get', 'head', 'stream'], ['post', 'put', 'patch', 'delete']),
        extend: { returns: 'Got' },
      },
    },
    Paginate: {
      // got.paginate(url) is an async iterator over pages; `.all` collects every page.
      callable: { effect: 'read' },
      methods: { all: { effect: 'read', collection: true }, each: { effect: 'read' } },
    },
  },
};

/** NestJS's `HttpService` wraps an axios instance: its verbs return Observables, `axiosRef` is the instance itself. */
export const nestAxios: LibraryInput = {
  id: 'nestjs-axios',
  modules: ['@nestjs/axios'],
  roundTripNoun: 'request',
  exports: { HttpService: { type: 'HttpService' } },
  types: {
    HttpService: {
      properties: { axiosRef: 'NestAxiosRef' },
      methods: verbs(['get', 'head', 'request'], ['post', 'put', 'patch', 'delete']),
    },
    NestAxiosRef: {
      callable: request,
      methods: verbs(['get', 'head', 'options', 'request'], ['post', 'put', 'patch', 'delete']),
    },
  },
};

/** request / request-promise (deprecated but common): the default export is the request function. */
export const requestPromise: LibraryInput = {
  id: 'request-promise',
  modules: ['request', 'request-promise', 'request-promise-native'],
  roundTripNoun: 'request',
  exports: {
    default: { value: 'Request', call: request },
    '*': { value: 'Request', call: request },
  },
  types: {
    Request: {
      callable: request,
      methods: verbs(['get', 'head'], ['post', 'put', 'patch', 'del', 'delete']),
    },
  },
};

/** openid-client: `Issuer.discover(url)` fetches the provider's discovery document over HTTP. */
export const openidClient: LibraryInput = {
  id: 'openid-client',
  modules: ['openid-client'],
  roundTripNoun: 'request',
  exports: {
    Issuer: { value: 'IssuerStatic' },
    discovery: { call: request },
  },
  types: { IssuerStatic: { methods: { discover: { effect: 'read', batchForm } } } },
};

/**
 * Hosts inside the deployment (the same service or its neighbours): loopback, private ranges, cluster and docker names,
 * `.internal`/`.local` names and single-label service names. Any other host is someone else's API.
 */
export const INTERNAL_HOST =
  /^(localhost|0\.0\.0\.0|\[::1\]|127\.\d+\.\d+\.\d+|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+|[^.]+|.*\.(internal|local|localhost|svc|cluster\.local|lan|home\.arpa))$/i;
