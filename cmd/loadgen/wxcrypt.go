package main

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
)

// wxSign is WeChat's signature: the SHA-1 of the parts sorted and
// joined (token, timestamp, nonce, and the ciphertext for msg_signature).
func wxSign(parts ...string) string {
	s := slices.Clone(parts)
	slices.Sort(s)
	sum := sha1.Sum([]byte(strings.Join(s, "")))
	return hex.EncodeToString(sum[:])
}

// wxCipher encrypts and decrypts message bodies with an EncodingAESKey,
// as WeChat's compatible and safe modes do: AES-256-CBC with the key's
// first 16 bytes as IV, over 16 random bytes, the body's length (4 bytes,
// big endian), the body and the AppID, padded PKCS#7 to 32 bytes.
type wxCipher struct {
	key   []byte
	appID string
}

// newWXCipher reads the 43-character EncodingAESKey.
func newWXCipher(aesKey, appID string) (*wxCipher, error) {
	key, err := base64.StdEncoding.DecodeString(aesKey + "=")
	if err != nil || len(key) != 32 {
		return nil, errors.New("wechat aes key: want the 43-character EncodingAESKey")
	}
	return &wxCipher{key: key, appID: appID}, nil
}

// encrypt returns the base64 ciphertext of body.
func (c *wxCipher) encrypt(body []byte) (string, error) {
	var plain bytes.Buffer
	random := make([]byte, 16)
	_, _ = rand.Read(random)
	plain.Write(random)
	_ = binary.Write(&plain, binary.BigEndian, uint32(len(body)))
	plain.Write(body)
	plain.WriteString(c.appID)
	pad := 32 - plain.Len()%32
	plain.Write(bytes.Repeat([]byte{byte(pad)}, pad))

	block, err := aes.NewCipher(c.key)
	if err != nil {
		return "", err
	}
	out := make([]byte, plain.Len())
	cipher.NewCBCEncrypter(block, c.key[:16]).CryptBlocks(out, plain.Bytes())
	return base64.StdEncoding.EncodeToString(out), nil
}

// decrypt returns the body of a base64 ciphertext, checking the AppID.
func (c *wxCipher) decrypt(text string) ([]byte, error) {
	data, err := base64.StdEncoding.DecodeString(text)
	if err != nil || len(data) == 0 || len(data)%aes.BlockSize != 0 {
		return nil, errors.New("wechat: ciphertext is not base64 AES blocks")
	}
	block, err := aes.NewCipher(c.key)
	if err != nil {
		return nil, err
	}
	plain := make([]byte, len(data))
	cipher.NewCBCDecrypter(block, c.key[:16]).CryptBlocks(plain, data)
	pad := int(plain[len(plain)-1])
	if pad < 1 || pad > 32 || pad > len(plain) {
		return nil, errors.New("wechat: bad padding")
	}
	plain = plain[:len(plain)-pad]
	if len(plain) < 20 {
		return nil, errors.New("wechat: plaintext too short")
	}
	n := int(binary.BigEndian.Uint32(plain[16:20]))
	if 20+n > len(plain) {
		return nil, errors.New("wechat: bad length")
	}
	if string(plain[20+n:]) != c.appID {
		return nil, errors.New("wechat: reply encrypted for another appid")
	}
	return plain[20 : 20+n], nil
}
