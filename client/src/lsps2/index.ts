/** The LSPS2 (bLIP-52) client over LSPS0 custom messages (bLIP-50). */
export { Lsps2Client, type Lsps2ClientOptions, type Purchase, type Timers } from './client.js';
export { Lsps2ClientError, type Lsps2ClientErrorKind } from './errors.js';
export { type Lsps0Transport, nodeTransport } from './transport.js';
