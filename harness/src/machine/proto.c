/* proto.c: control-channel frame encoding (see pvbench/proto.h). Pure code, used by
 * both the host harness and pvbench-agent. */
#include "pvbench/proto.h"

#include <errno.h>

void pvb_put_u32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = v >> (8 * i);
}

void pvb_put_u64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = v >> (8 * i);
}

uint32_t pvb_get_u32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t pvb_get_u64(const uint8_t *p)
{
	return pvb_get_u32(p) | (uint64_t)pvb_get_u32(p + 4) << 32;
}

void pvb_hdr_pack(const struct pvb_hdr *h, uint8_t out[PVB_HDR_LEN])
{
	pvb_put_u32(out, PVB_MAGIC);
	out[4] = h->type;
	out[5] = h->stream;
	out[6] = h->dom & 0xff;
	out[7] = h->dom >> 8;
	pvb_put_u32(out + 8, h->id);
	pvb_put_u32(out + 12, h->len);
}

long pvb_frame_parse(const uint8_t *buf, size_t avail, struct pvb_hdr *h)
{
	if (avail < 4)
		return 0;
	if (pvb_get_u32(buf) != PVB_MAGIC)
		return -EBADMSG;
	if (avail < PVB_HDR_LEN)
		return 0;
	h->type = buf[4];
	h->stream = buf[5];
	h->dom = buf[6] | buf[7] << 8;
	h->id = pvb_get_u32(buf + 8);
	h->len = pvb_get_u32(buf + 12);
	if (h->len > PVB_MAX_PAYLOAD)
		return -EMSGSIZE;
	if (avail < PVB_HDR_LEN + (size_t)h->len)
		return 0;
	return PVB_HDR_LEN + (long)h->len;
}
