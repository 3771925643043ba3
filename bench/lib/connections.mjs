// Counts outgoing TCP connections made by this process (net.Socket#connect), to show how many requests reused one.
import net from 'node:net';

let count = 0;
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function countedConnect(...args) {
	count++;
	return connect.apply(this, args);
};

export const connections = () => count;
