package redisstore

import (
	"strings"
	"testing"
)

// crc16 is the CRC-16/XMODEM checksum Redis Cluster uses for key slots.
func crc16(data string) uint16 {
	var crc uint16
	for i := 0; i < len(data); i++ {
		crc ^= uint16(data[i]) << 8
		for range 8 {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}

// slot computes the Cluster slot of key: only the text between the first
// "{" and the next "}" is hashed when it is not empty.
func slot(key string) uint16 {
	if open := strings.IndexByte(key, '{'); open >= 0 {
		if end := strings.IndexByte(key[open+1:], '}'); end > 0 {
			key = key[open+1 : open+1+end]
		}
	}
	return crc16(key) % 16384
}

func TestSlotFunction(t *testing.T) {
	if got := crc16("123456789"); got != 0x31C3 {
		t.Fatalf("crc16 check value %#x", got)
	}
	if got := slot("foo"); got != 12182 {
		t.Fatalf("slot(foo) = %d, want 12182", got)
	}
	if slot("{user1000}.following") != slot("{user1000}.followers") {
		t.Fatal("hash tags ignored")
	}
	if slot("foo{}{bar}") != crc16("foo{}{bar}")%16384 {
		t.Fatal("empty tag not ignored")
	}
}

func TestKeyShapes(t *testing.T) {
	cases := []struct{ got, want string }{
		{Keys{}.Key("a", "b"), "hotline:a:b"},
		{Keys{}.Key(), "hotline"},
		{Keys{Prefix: "gw"}.Key("x"), "gw:x"},
		{Keys{}.Tagged("conv42", "lease"), "hotline{conv42}:lease"},
		{Keys{Prefix: "gw"}.Tagged("conv42", "once", "m1"), "gw{conv42}:once:m1"},
		{Keys{Prefix: "gw"}.Tagged("conv42"), "gw{conv42}"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestTaggedKeysShareASlot(t *testing.T) {
	keys := Keys{Prefix: "gw"}
	a := keys.Tagged("conv42", "lease")
	b := keys.Tagged("conv42", "once", "message-1")
	if slot(a) != slot(b) {
		t.Fatalf("%s in slot %d, %s in slot %d", a, slot(a), b, slot(b))
	}
	if slot(keys.Tagged("conv42")) == slot(keys.Tagged("conv43")) {
		t.Log("two tags share a slot by chance")
	}
}

func TestFenceKeySharesTheLeaseSlot(t *testing.T) {
	for _, key := range []string{"gw{conv42}:lease", "gw:plain:lease", "x{y"} {
		fence := companionKey(key, "fence")
		if fence == key || slot(fence) != slot(key) {
			t.Errorf("%s (slot %d) and %s (slot %d)", key, slot(key), fence, slot(fence))
		}
	}
}
