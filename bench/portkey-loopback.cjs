// Preloaded into Portkey's gateway by bench/run-api (`node --require bench/portkey-loopback.cjs
// build/start-server.js --port=0 --headless`). Its start-server.js takes only --port and --headless and
// listens on every interface (@hono/node-server's serve() without a hostname); this makes every server
// the process opens listen on 127.0.0.1 only, and prints the port it got on stderr, as
// `listening on http://127.0.0.1:PORT`, so the bench can use port 0 (a free one) without racing anyone.
'use strict';
const net = require('node:net');

const LOOPBACK = '127.0.0.1';
const listen = net.Server.prototype.listen;

net.Server.prototype.listen = function (...args) {
    const [first, second] = args;
    if (args.length === 0 || typeof first === 'function') {
        args.unshift(0, LOOPBACK); // listen([callback])
    } else if (first !== null && typeof first === 'object') {
        if (first.path === undefined && first.handle === undefined && first.fd === undefined) {
            args[0] = { ...first, host: LOOPBACK }; // listen(options[, callback])
        }
    } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
        if (second === undefined || second === null || typeof second === 'string') {
            args[1] = LOOPBACK; // listen(port[, host][, backlog][, callback])
        } else {
            args.splice(1, 0, LOOPBACK); // listen(port, backlog | callback, ...)
        }
    } // else a unix socket path: nothing to bind
    this.once('listening', () => {
        const address = this.address();
        if (address !== null && typeof address === 'object') {
            process.stderr.write(`listening on http://${address.address}:${address.port}\n`);
        }
    });
    return listen.apply(this, args);
};
