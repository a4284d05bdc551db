// The shell's access to the companion API: the same helper the lightning/* stand-ins use.
export { api, requestRefresh, REFRESH_EVENT } from '../../../stand-ins/http';
