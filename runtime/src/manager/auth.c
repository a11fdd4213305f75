/*
 * auth.c - the manager's authkey handshake.
 *
 * The server sends a random challenge; the client answers with
 * HMAC-SHA256(authkey, challenge) (OpenSSL's libcrypto, never a
 * hand-written hash); the server computes the same and compares in
 * constant time.  The key itself never crosses the wire, and an answer
 * overheard once is no use: the next challenge differs.
 */
#define _GNU_SOURCE
#include "manager/manager.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

static void hmac(const unsigned char *key, size_t keylen, const unsigned char *nonce,
		 unsigned char mac[MAC_LEN])
{
	unsigned int len = MAC_LEN;

	HMAC(EVP_sha256(), key, (int)keylen, nonce, NONCE_LEN, mac, &len);
}

int mp__auth_hello(unsigned char hello[HELLO_LEN], uint64_t id, unsigned char nonce[NONCE_LEN])
{
	if (getrandom(nonce, NONCE_LEN, 0) != NONCE_LEN)
		return -1;
	memcpy(hello, MAGIC, 8);
	mp__le_put(hello + 8, id, 8);
	memcpy(hello + 16, nonce, NONCE_LEN);
	return 0;
}

int mp__auth_client(int fd, const unsigned char *key, size_t keylen, int64_t deadline,
		    uint64_t *id)
{
	unsigned char hello[HELLO_LEN], answer[ANSWER_LEN], verdict;

	if (mp__net_recv(fd, hello, sizeof(hello), deadline) == -1)
		return -1;
	if (memcmp(hello, MAGIC, 8) != 0) {
		errno = EPROTO;
		return -1;
	}
	*id = mp__le_get(hello + 8, 8);
	hmac(key, keylen, hello + 16, answer);
	mp__le_put(answer + MAC_LEN, (uint32_t)getpid(), 4);
	if (mp__net_send(fd, answer, sizeof(answer), deadline) == -1 ||
	    mp__net_recv(fd, &verdict, 1, deadline) == -1) {
		if (errno == ECONNRESET)
			errno = EACCES;	/* hung up on our answer */
		return -1;
	}
	if (verdict != 'W') {
		errno = EACCES;
		return -1;
	}
	return 0;
}

bool mp__auth_check(const unsigned char *key, size_t keylen, const unsigned char nonce[NONCE_LEN],
		    const unsigned char answer[ANSWER_LEN], pid_t *pid)
{
	unsigned char mac[MAC_LEN];

	hmac(key, keylen, nonce, mac);
	*pid = (pid_t)mp__le_get(answer + MAC_LEN, 4);
	return CRYPTO_memcmp(mac, answer, MAC_LEN) == 0;
}
