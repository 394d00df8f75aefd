/* proto.h: pvbench's control-channel framing, shared by the host harness and
 * pvbench-agent in dom0 and domUs.
 *
 * Links: host <-> dom0 agent over a virtio-serial port (QEMU chardev socket);
 * dom0 agent <-> domU agent over libxenvchan (the domU is the vchan server at
 * /local/domain/<domid>/data/pvbench-vchan). The dom0 agent relays every frame
 * whose `dom` is not 0 to that domU's agent and relays its answers back, so the
 * host addresses any guest the same way.
 *
 * A frame is a 16-byte little-endian header followed by `len` payload bytes:
 *
 *   u32 magic 'PVB1' | u8 type | u8 stream | u16 dom | u32 id | u32 len | payload
 *
 * Requests (host -> agent):
 *   EXEC  payload = u32 timeout_ms (0: none) + shell command (sh -c); stream=1
 *         means STDIN frames follow (else stdin is /dev/null)
 *   STDIN payload = bytes for the command's stdin; len 0 closes it
 *   KILL  kill the process group of request `id`
 *   PING  payload echoed back in PONG
 * Replies (agent -> host), `dom` = the answering domain:
 *   OUT   stream 1 stdout, 2 stderr; payload = bytes, in order
 *   EXIT  payload = i32 status (exit code; 128+N killed by signal N),
 *         u8 timed_out, u64 elapsed_ns; the last frame of an EXEC
 *   PONG  payload = u64 agent CLOCK_BOOTTIME ns + PING payload
 *   ERR   payload = message; id 0 = about the link to domain `dom` itself
 *   HELLO payload = "pvbench-agent/1 dom=N uptime_ns=T"; sent when a link opens
 */
#ifndef PVBENCH_PROTO_H
#define PVBENCH_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define PVB_MAGIC 0x31425650u /* "PVB1" little-endian */
#define PVB_HDR_LEN 16
#define PVB_MAX_PAYLOAD (1u << 20)
#define PVB_VCHAN_PATH "data/pvbench-vchan"
#define PVB_VIRTIO_PORT "org.pvbench.ctl"

enum pvb_type {
	PVB_EXEC = 1,
	PVB_STDIN = 2,
	PVB_KILL = 3,
	PVB_PING = 4,
	PVB_OUT = 16,
	PVB_EXIT = 17,
	PVB_PONG = 18,
	PVB_ERR = 19,
	PVB_HELLO = 20,
};

struct pvb_hdr {
	uint8_t type;
	uint8_t stream;
	uint16_t dom;
	uint32_t id;
	uint32_t len;
};

/* Encodes a header into out[PVB_HDR_LEN]. */
void pvb_hdr_pack(const struct pvb_hdr *h, uint8_t out[PVB_HDR_LEN]);
/* Decodes buf[0..avail) into *h. Returns PVB_HDR_LEN + h->len when a whole frame is
 * present, 0 when more bytes are needed, -EBADMSG on bad magic, -EMSGSIZE when len
 * exceeds PVB_MAX_PAYLOAD. */
long pvb_frame_parse(const uint8_t *buf, size_t avail, struct pvb_hdr *h);

void pvb_put_u32(uint8_t *p, uint32_t v);
void pvb_put_u64(uint8_t *p, uint64_t v);
uint32_t pvb_get_u32(const uint8_t *p);
uint64_t pvb_get_u64(const uint8_t *p);

#endif
