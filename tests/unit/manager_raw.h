/*
 * manager_raw.h - a Manager's client made by hand, as an attacker makes
 * one: a TCP socket, the authkey handshake, request frames of any shape
 * (test_manager_wire.c, test_manager_faults.c).
 *
 * The wire (runtime/src/manager/manager.h): after the handshake, frames of
 * a 4-byte little-endian length, then op u8, type u8, keylen u16, pid u32,
 * req u64, obj u64, msg u64, timeout_ms i64, the key, the value.  A reply:
 * length, status i32, type u8, 3 spare, arg u64, the value.
 */
#ifndef MANAGER_RAW_H
#define MANAGER_RAW_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum { RAW_DICT = 1, RAW_QUEUE, RAW_GET, RAW_SET, RAW_DEL, RAW_LEN, RAW_PUT, RAW_QGET,
       RAW_QSIZE, RAW_SHUTDOWN };
#define RAW_REQ_HEADER 40
#define RAW_REPLY_HEADER 16

static uint32_t rnd_state = 12345;

/* xorshift32: the same frames on every run with the same seed. */
static inline uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/* A blocking socket connected to "127.0.0.1:PORT" with 5 s timeouts each
 * way, so that no test can hang on the server; -1 if it cannot connect. */
static inline int tcp_connect(const char *addr)
{
	struct sockaddr_in in = { .sin_family = AF_INET };
	const char *colon = strrchr(addr, ':');
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	in.sin_port = htons((uint16_t)atoi(colon + 1));
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd == -1 || connect(fd, (struct sockaddr *)&in, sizeof(in)) == -1) {
		if (fd != -1)
			close(fd);
		return -1;
	}
	struct timeval tv = { 5, 0 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	return fd;
}

/* Answers the challenge on fd as a proxy would: 0 on welcome. */
static inline int authenticate(int fd, const char *key)
{
	unsigned char hello[48], answer[36], verdict;
	unsigned int len = 32;
	pid_t pid = getpid();

	if (recv(fd, hello, sizeof(hello), MSG_WAITALL) != sizeof(hello))
		return -1;
	HMAC(EVP_sha256(), key, (int)strlen(key), hello + 16, 32, answer, &len);
	memcpy(answer + 32, &pid, 4);
	if (send(fd, answer, sizeof(answer), MSG_NOSIGNAL) != sizeof(answer) ||
	    recv(fd, &verdict, 1, 0) != 1)
		return -1;
	return verdict == 'W' ? 0 : -1;
}

/* Reads whatever is waiting on fd, without waiting. */
static inline void drain(int fd)
{
	char buf[4096];

	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
}

static inline void le_put(unsigned char *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* Writes a request frame into out (room for 4 + RAW_REQ_HEADER + keylen +
 * len bytes): its length.  A key is a string, the value `len` bytes. */
static inline size_t raw_frame(unsigned char *out, int op, int type, uint64_t obj,
			       int64_t timeout_ms, const char *key, const void *val, size_t len)
{
	size_t keylen = key ? strlen(key) : 0;

	memset(out, 0, 4 + RAW_REQ_HEADER);
	le_put(out, RAW_REQ_HEADER + keylen + len, 4);
	out[4] = (unsigned char)op;
	out[5] = (unsigned char)type;
	le_put(out + 6, keylen, 2);
	le_put(out + 20, obj, 8);
	le_put(out + 36, (uint64_t)timeout_ms, 8);
	memcpy(out + 4 + RAW_REQ_HEADER, key, keylen);
	if (len > 0)
		memcpy(out + 4 + RAW_REQ_HEADER + keylen, val, len);
	return 4 + RAW_REQ_HEADER + keylen + len;
}

/* Reads one reply's header from fd: its status, *arg and the length of
 * the value that follows (left unread); -1 if none came. */
static inline int raw_reply(int fd, uint64_t *arg, uint32_t *len)
{
	unsigned char h[4 + RAW_REPLY_HEADER];

	if (recv(fd, h, sizeof(h), MSG_WAITALL) != (ssize_t)sizeof(h))
		return -1;
	memcpy(len, h, 4);
	*len -= RAW_REPLY_HEADER;
	*arg = 0;
	for (int i = 7; i >= 0; i--)
		*arg = *arg << 8 | h[12 + i];
	return (int)(h[4] | h[5] << 8 | h[6] << 16 | (uint32_t)h[7] << 24);
}

#endif /* MANAGER_RAW_H */
