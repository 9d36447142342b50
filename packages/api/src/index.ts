// @weir/api — `weir server`: Neutron v2.0, Octavia v2 and a Keystone v3 facade over @weir/core.
export { startServer, type RunningServer, type ServerUrls, type StartOptions } from './server.js';
export { loadServerConfig, ConfigError, DEFAULT_SERVER_CONFIG, type ServerConfig } from './config.js';
export { hashPassword, verifyPassword } from './keystone/passwords.js';
