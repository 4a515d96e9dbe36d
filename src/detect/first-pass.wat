;; The detection first pass (trigger.ts) as a WebAssembly SIMD kernel: every
;; start of a trigger window in a piece of input, exactly. Assembled by
;; test/helpers/assemble-wasm.mjs into first-pass-wasm-bytes.ts; a test
;; checks that the committed bytes are this file's.
;;
;; Two stages (the layout of "Teddy", the SIMD literal filter of Intel's
;; Hyperscan, for 4-byte windows and 8 buckets):
;;
;; 1. A filter over 16 positions at once. The windows are split into 8
;;    buckets (buckets.ts chooses them; first-pass-wasm.ts writes the tables). For window offset o (0..3)
;;    and bucket k, bit k of LO[o][x] is set when some window of bucket k
;;    has a byte with low nibble x at offset o, and bit k of HI[o][x] when one
;;    has a byte with high nibble x there. For a block of 16 bytes, two
;;    swizzles per offset give T[o][i] = LO[o][lo(b_i)] & HI[o][hi(b_i)];
;;    position p passes bucket k when bit k is set in T[0][p] & T[1][p+1] &
;;    T[2][p+2] & T[3][p+3] (the next block's T shifted in by a shuffle).
;;    Every window start passes its own bucket (each of its bytes sets both
;;    of its nibble bits), so a block with no passing position has no start.
;;    Nibble products accept more than the windows (`app/` passes the
;;    bucket that holds `app-` and the `X://` windows): on the bench log
;;    about one position in 300 passes, on `git log -p` output one in 3,700.
;; 2. An exact test of each passing position: its 4 bytes, as a
;;    little-endian i32, are looked up in HASH (open addressing, linear
;;    probing; 0 is the empty slot, and no window has a zero byte, so no
;;    window's key is 0).
;;
;; Memory (4 pages of 64 KiB; first-pass-wasm.ts writes the tables, the hash
;; and the input at these offsets, and the tests fail if the two disagree):
;;   [0, 128)             T tables: LO[o] at 32*o, HI[o] at 32*o + 16.
;;   [1024, 17408)        HASH: 4096 i32 slots, slot of key k first at
;;                        (k * 0x9e3779b1) >>> 20.
;;   [32768, 65544)       OUT: pairs (block start g, position mask) as i32;
;;                        bit b of the mask: a window starts at g + b. A
;;                        piece has at most 4,097 blocks.
;;   [131072, 131072+n)   IN: the input (at most PIECE + 3 = 65,539 bytes);
;;                        after it, whatever an earlier piece left.
;;
;; The blocks cover [0, n) and read up to 31 bytes past a block start, so a
;; position p >= n - 3 is tested with bytes past the input, which may be an
;; earlier piece's: the caller drops those starts (it keeps p + 3 < n).
;; Every start p with p + 3 < n is reported, and no other p < n - 3.
;; sample(n) returns the number of i32 written to OUT.
(module
  (memory (export "memory") 4)

  (func (export "sample") (param $n i32) (result i32)
    (local $g i32) (local $o i32) (local $p i32)
    (local $bits i32) (local $keep i32) (local $b i32) (local $key i32) (local $h i32) (local $slot i32)
    (local $v v128) (local $lo v128) (local $hi v128) (local $m v128) (local $nib v128)
    (local $l0 v128) (local $h0 v128) (local $l1 v128) (local $h1 v128)
    (local $l2 v128) (local $h2 v128) (local $l3 v128) (local $h3 v128)
    ;; T[o] of the current block (t) and of the next one (u)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local $u0 v128) (local $u1 v128) (local $u2 v128) (local $u3 v128)
    (local.set $l0 (v128.load offset=0 (i32.const 0)))
    (local.set $h0 (v128.load offset=16 (i32.const 0)))
    (local.set $l1 (v128.load offset=32 (i32.const 0)))
    (local.set $h1 (v128.load offset=48 (i32.const 0)))
    (local.set $l2 (v128.load offset=64 (i32.const 0)))
    (local.set $h2 (v128.load offset=80 (i32.const 0)))
    (local.set $l3 (v128.load offset=96 (i32.const 0)))
    (local.set $h3 (v128.load offset=112 (i32.const 0)))
    (local.set $nib (i8x16.splat (i32.const 15)))
    ;; T of block 0
    (local.set $v (v128.load (i32.const 131072)))
    (local.set $lo (v128.and (local.get $v) (local.get $nib)))
    (local.set $hi (i8x16.shr_u (local.get $v) (i32.const 4)))
    (local.set $t0 (v128.and (i8x16.swizzle (local.get $l0) (local.get $lo)) (i8x16.swizzle (local.get $h0) (local.get $hi))))
    (local.set $t1 (v128.and (i8x16.swizzle (local.get $l1) (local.get $lo)) (i8x16.swizzle (local.get $h1) (local.get $hi))))
    (local.set $t2 (v128.and (i8x16.swizzle (local.get $l2) (local.get $lo)) (i8x16.swizzle (local.get $h2) (local.get $hi))))
    (local.set $t3 (v128.and (i8x16.swizzle (local.get $l3) (local.get $lo)) (i8x16.swizzle (local.get $h3) (local.get $hi))))
    (block $done
      (loop $block
        (br_if $done (i32.ge_u (local.get $g) (local.get $n)))
        (local.set $p (i32.add (i32.const 131072) (local.get $g)))
        ;; T of the next block
        (local.set $v (v128.load offset=16 (local.get $p)))
        (local.set $lo (v128.and (local.get $v) (local.get $nib)))
        (local.set $hi (i8x16.shr_u (local.get $v) (i32.const 4)))
        (local.set $u0 (v128.and (i8x16.swizzle (local.get $l0) (local.get $lo)) (i8x16.swizzle (local.get $h0) (local.get $hi))))
        (local.set $u1 (v128.and (i8x16.swizzle (local.get $l1) (local.get $lo)) (i8x16.swizzle (local.get $h1) (local.get $hi))))
        (local.set $u2 (v128.and (i8x16.swizzle (local.get $l2) (local.get $lo)) (i8x16.swizzle (local.get $h2) (local.get $hi))))
        (local.set $u3 (v128.and (i8x16.swizzle (local.get $l3) (local.get $lo)) (i8x16.swizzle (local.get $h3) (local.get $hi))))
        ;; m[i]: the buckets position g + i passes (offset o's T moved o bytes back)
        (local.set $m (v128.and
          (v128.and (local.get $t0) (i8x16.shuffle 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 (local.get $t1) (local.get $u1)))
          (v128.and (i8x16.shuffle 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 (local.get $t2) (local.get $u2))
                    (i8x16.shuffle 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 (local.get $t3) (local.get $u3)))))
        (if (v128.any_true (local.get $m))
          (then
            ;; The exact test of each passing position.
            (local.set $bits (i8x16.bitmask (i8x16.ne (local.get $m) (v128.const i32x4 0 0 0 0))))
            (local.set $keep (i32.const 0))
            (loop $position
              (local.set $b (i32.ctz (local.get $bits)))
              (local.set $bits (i32.and (local.get $bits) (i32.sub (local.get $bits) (i32.const 1))))
              (local.set $key (i32.load (i32.add (local.get $p) (local.get $b))))
              (local.set $h (i32.shr_u (i32.mul (local.get $key) (i32.const 0x9e3779b1)) (i32.const 20)))
              (block $found
                (loop $probe
                  (local.set $slot (i32.load offset=1024 (i32.shl (local.get $h) (i32.const 2))))
                  (br_if $found (i32.eqz (local.get $slot)))
                  (if (i32.eq (local.get $slot) (local.get $key))
                    (then
                      (local.set $keep (i32.or (local.get $keep) (i32.shl (i32.const 1) (local.get $b))))
                      (br $found)))
                  (local.set $h (i32.and (i32.add (local.get $h) (i32.const 1)) (i32.const 4095)))
                  (br $probe)))
              (br_if $position (local.get $bits)))
            (if (local.get $keep)
              (then
                (i32.store offset=32768 (i32.shl (local.get $o) (i32.const 2)) (local.get $g))
                (i32.store offset=32772 (i32.shl (local.get $o) (i32.const 2)) (local.get $keep))
                (local.set $o (i32.add (local.get $o) (i32.const 2)))))))
        (local.set $t0 (local.get $u0))
        (local.set $t1 (local.get $u1))
        (local.set $t2 (local.get $u2))
        (local.set $t3 (local.get $u3))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (br $block)))
    (local.get $o)))
