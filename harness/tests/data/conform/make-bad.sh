#!/bin/sh
# Derives the edited fixtures of harness/tests/data/conform from the real ones cut
# from the recorded run (README.md). Each file breaks (or, for the files without
# "bad-" in their name, legitimately varies) exactly the thing its comment says.
# Run from this directory: sh make-bad.sh
set -e
F=vbd-51712-front.txt B=vbd-51712-back.txt VF=vif-0-front.txt VB=vif-0-back.txt
D=/local/domain/1/device/vbd/51712 VD=/local/domain/1/device/vif/0
set_key() { # file key value: replace the key's line, or append it when absent
	if grep -q "^$2 = " "$1"; then sed "s|^$2 = .*|$2 = \"$3\"|" "$1"; else cat "$1"; echo "$2 = \"$3\""; fi
}
del_key() { grep -v "^$2 = " "$1"; }

# -- vbd: legitimate variants (pass) --
set_key $F $D/multi-queue-num-queues 1 > vbd-mq1-front.txt
del_key $F $D/ring-ref | grep -v "^$D/event-channel = " > /tmp/mq2.$$
printf '%s\n' "$D/multi-queue-num-queues = \"2\"" "$D/queue-0 = \"\"" \
	"$D/queue-0/ring-ref = \"8\"" "$D/queue-0/event-channel = \"15\"" "$D/queue-1 = \"\"" \
	"$D/queue-1/ring-ref = \"9\"" "$D/queue-1/event-channel = \"16\"" >> /tmp/mq2.$$
mv /tmp/mq2.$$ vbd-mq2-front.txt
# -- vbd: broken --
set_key $F $D/state 3 > bad-vbd-state-front.txt                       # frontend not Connected
set_key $F $D/multi-queue-num-queues 3 > bad-vbd-mq-range-front.txt   # 3 > max 2
del_key $B /local/domain/0/backend/vbd/1/51712/multi-queue-max-queues > bad-vbd-mq-unadvertised-back.txt
set_key vbd-mq2-front.txt $D/ring-ref 8 > bad-vbd-mq-toplevel-front.txt # 2 queues + top-level ring-ref
del_key vbd-mq2-front.txt $D/queue-1/event-channel > bad-vbd-mq-queue-keys-front.txt
set_key $F $D/ring-page-order 5 > bad-vbd-ring-order-front.txt        # > max-ring-page-order 4
set_key $F $D/num-ring-pages 3 > bad-vbd-num-ring-pages-front.txt     # not a power of 2
set_key $F $D/ring-ref 8a > bad-vbd-ring-ref-front.txt                # not decimal
set_key $F $D/event-channel -15 > bad-vbd-event-channel-front.txt     # not decimal
set_key $F $D/protocol x86_64 > bad-vbd-protocol-front.txt            # not an XEN_IO_PROTO_ABI_*
K=/local/domain/0/backend/vbd/1/51712
set_key $B $K/max-ring-pages 6 > bad-vbd-max-ring-pages-back.txt      # not a power of 2
set_key $B $K/feature-barrier yes > bad-vbd-feature-back.txt          # not 0/1
set_key $B $K/feature-max-indirect-segments many > bad-vbd-indirect-back.txt
set_key $B $K/feature-discard 1 > bad-vbd-discard-back.txt            # no granularity/alignment
set_key $B $K/sector-size 520 > bad-vbd-sector-size-back.txt          # not a power of 2
set_key $B $K/sector-size 4096 > bad-vbd-large-sector-back.txt        # frontend lacks large-sector
set_key $B $K/physical-sector-size 1000 > bad-vbd-pss-back.txt        # not a multiple of 512
set_key $B $K/sectors 524289 > bad-vbd-sectors-back.txt               # * 512 not a multiple of 4096

# -- vif: broken --
K=/local/domain/0/backend/vif/1/0
set_key $VB $K/state 2 > bad-vif-state-back.txt                       # backend InitWait
set_key $VF $VD/multi-queue-num-queues 3 > bad-vif-mq-range-front.txt # 3 > max 2
del_key $VB $K/multi-queue-max-queues > bad-vif-mq-unadvertised-back.txt
set_key $VF $VD/tx-ring-ref 1034 > bad-vif-toplevel-front.txt         # 2 queues + top-level ring
del_key $VF $VD/queue-1/rx-ring-ref > bad-vif-queue-keys-front.txt
set_key $VF $VD/queue-0/event-channel-tx 0x10 > bad-vif-numeric-front.txt
set_key $VB $K/feature-split-event-channels 0 > bad-vif-split-back.txt  # split used, not offered
del_key $VF $VD/feature-rx-notify > bad-vif-rx-notify-front.txt
del_key $VF $VD/request-rx-copy > bad-vif-rx-copy-front.txt
set_key $VF $VD/feature-sg true > bad-vif-feature-front.txt           # not 0/1
set_key $VF $VD/ctrl-ring-ref 1100 > bad-vif-ctrl-front.txt           # no event-channel-ctrl
set_key $VF $VD/request-multicast-control 1 > vif-mcast-front.txt     # legitimate: offered
del_key $VB $K/feature-multicast-control > bad-vif-mcast-back.txt     # requested, not offered

# -- state logs (edits of states-attach-detach.txt) --
S=states-attach-detach.txt BK=/local/domain/0/backend/vbd/1/51728 FR=/local/domain/1/device/vbd/51728
# the backend reads InitWait again after Connected
sed "s|^\(.* $BK/physical-device-path\) 4$|\1 2|" $S > bad-states-backward.txt
# every backend read of InitWait(2) and the frontend's Initialised(3) missed (skipped states)
grep -v " $BK/.* 2$" $S | grep -v " $FR/state 3$" > states-missed.txt
grep -v " $BK GONE$" $S > bad-states-not-gone.txt                     # backend dir left behind
grep -v " $BK/.* [56]$" $S > bad-states-no-close.txt                  # Connected -> removed
sed "s|^\(.* $FR/state\) 3$|\1 x|" $S > bad-states-invalid.txt        # not a number

# -- leak dumps --
sed '/\[0x42e\]/a (XEN) [   45.239300] [0x42f]      0 0x1bb1ff 0x00000200          0 0x1bb1ff 0x09' \
	dmesg-g-attached.txt > bad-dmesg-g-leak.txt                       # one more active entry
grep -v 'gnttab_usage_print_all \] done' dmesg-g-attached.txt > bad-dmesg-g-cut.txt
sed '/45.639868/a (XEN) [   45.640001]       21 [0/0/  -   ]: s=2 n=0 x=0 d=0' \
	dmesg-e-attached.txt > bad-dmesg-e-leak.txt                       # one more port, unbound
{ cat ps-after-destroy.txt; echo "  512 ?        S      0:00 [blkback.1.xvdb-]";
  echo "  513 ?        S      0:00 [vif1.0-q0-guest]"; } > bad-ps-leak.txt
