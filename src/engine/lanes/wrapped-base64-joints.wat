;; The wrapped-base64 lane's search for joints (wrapped-base64.ts) as a
;; WebAssembly SIMD kernel: every LF of a piece whose 16 bytes before its CRs
;; (at most two) are all base64, found without the native search call per
;; line break that the JavaScript loop pays. Assembled by
;; test/helpers/assemble-wasm.mjs into wrapped-base64-joints-wasm-bytes.ts; a
;; test checks that the committed bytes are this file's.
;;
;; Memory (3 pages = 192 KiB; never grows):
;;   [0, 16384)         OUT: the passing LFs' offsets in the piece, as i32.
;;                      Passing LFs are at least 17 bytes apart (16 base64
;;                      bytes before each), so a piece of at most 65,536 + 18
;;                      bytes has at most 3,856 of them (offsets 18 to 65,553).
;;   [16384, 32768)     LFS: one block's LFs (memory addresses, as i32); a
;;                      block is at most BLOCK = 4,096 bytes, so at most 4,096.
;;   [65536, 65536 + n) IN: the piece; after it, whatever an earlier piece
;;                      left (read by the 64-byte loads, never reported: only
;;                      LFs before n are).
;;
;; joints(n) runs over the piece in blocks of BLOCK bytes (so LFS stays in
;; L1), each in two stages:
;;   1. List the block's LFs: for each group of 64 bytes, the LF bits of its
;;      four vectors as one 64-bit mask; the offsets of its first two set bits
;;      are stored unconditionally and LFS advances by min(popcount, 2), and
;;      only a group with three or more LFs loops over the rest. Log lines are
;;      longer than 32 bytes, so that branch is almost never taken and
;;      predicts well.
;;   2. Test each listed LF at offset r without a branch: step back over at
;;      most two CRs to e, classify the 16 bytes [e - 16, e) at once with two
;;      nibble tables (a byte is base64 iff HI[byte >> 4] & LO[byte & 15] is
;;      not zero; bit 0: + - /, bit 1: 0-9 =, bit 2: A-O a-o, bit 3: P-Z p-z,
;;      bit 4: _), store r and advance OUT only if all 16 are and
;;      18 <= r < n. The loop runs once per LF, a count known in advance.
;; Looping over each group's LFs at once (as a first version did) mispredicts
;; the loop's exit about once per group, since LFs sit at random offsets:
;; 1.4 times the time of these two stages on the bench log. r >= 18 keeps
;; every load inside the piece; the caller tests LFs at offsets below 18
;; itself. Returns the number of offsets written.
(module
  (memory (export "memory") 3)

  (func (export "joints") (param $n i32) (result i32)
    (local $p i32) (local $end i32) (local $block i32) (local $lfs i32) (local $q i32)
    (local $out i32) (local $k i32) (local $e i32) (local $c i32)
    (local $m i64) (local $lf v128) (local $v v128)
    (local.set $lf (i8x16.splat (i32.const 10)))
    (local.set $p (i32.const 65536))
    (local.set $end (i32.add (i32.const 65536) (local.get $n)))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $block (select (i32.add (local.get $p) (i32.const 4096)) (local.get $end)
          (i32.lt_u (i32.add (local.get $p) (i32.const 4096)) (local.get $end))))
        ;; Stage 1: the block's LFs into LFS (a last group may list LFs at or after n; stage 2 drops them).
        (local.set $lfs (i32.const 16384))
        (block $listed
          (loop $groups
            (br_if $listed (i32.ge_u (local.get $p) (local.get $block)))
            (local.set $m
              (i64.or
                (i64.or
                  (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (v128.load (local.get $p)) (local.get $lf))))
                  (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (v128.load offset=16 (local.get $p)) (local.get $lf)))) (i64.const 16)))
                (i64.or
                  (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (v128.load offset=32 (local.get $p)) (local.get $lf)))) (i64.const 32))
                  (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (v128.load offset=48 (local.get $p)) (local.get $lf)))) (i64.const 48)))))
            (local.set $c (i32.wrap_i64 (i64.popcnt (local.get $m))))
            ;; The first two LFs, stored whether or not they exist (ctz of 0 is 64: a slot LFS does not advance over).
            (i32.store (local.get $lfs) (i32.add (local.get $p) (i32.wrap_i64 (i64.ctz (local.get $m)))))
            (local.set $m (i64.and (local.get $m) (i64.sub (local.get $m) (i64.const 1))))
            (i32.store offset=4 (local.get $lfs) (i32.add (local.get $p) (i32.wrap_i64 (i64.ctz (local.get $m)))))
            (local.set $lfs (i32.add (local.get $lfs)
              (select (i32.const 8) (i32.shl (local.get $c) (i32.const 2)) (i32.gt_u (local.get $c) (i32.const 2)))))
            (if (i32.gt_u (local.get $c) (i32.const 2))
              (then
                (local.set $m (i64.and (local.get $m) (i64.sub (local.get $m) (i64.const 1))))
                (loop $more
                  (i32.store (local.get $lfs) (i32.add (local.get $p) (i32.wrap_i64 (i64.ctz (local.get $m)))))
                  (local.set $lfs (i32.add (local.get $lfs) (i32.const 4)))
                  (local.set $m (i64.and (local.get $m) (i64.sub (local.get $m) (i64.const 1))))
                  (br_if $more (i64.ne (local.get $m) (i64.const 0))))))
            (local.set $p (i32.add (local.get $p) (i32.const 64)))
            (br $groups)))
        ;; Stage 2: test each listed LF.
        (local.set $q (i32.const 16384))
        (block $tested
          (loop $tests
            (br_if $tested (i32.ge_u (local.get $q) (local.get $lfs)))
            (local.set $k (i32.load (local.get $q)))
            (local.set $q (i32.add (local.get $q) (i32.const 4)))
            ;; Offsets below 18 read before the piece: test offset 18's bytes instead (never stored, see below).
            (local.set $e (select (local.get $k) (i32.const 65554) (i32.ge_u (local.get $k) (i32.const 65554))))
            (local.set $e (i32.sub (local.get $e)
              (i32.eq (i32.load8_u (i32.sub (local.get $e) (i32.const 1))) (i32.const 13))))
            (local.set $e (i32.sub (local.get $e)
              (i32.eq (i32.load8_u (i32.sub (local.get $e) (i32.const 1))) (i32.const 13))))
            (local.set $v (v128.load (i32.sub (local.get $e) (i32.const 16))))
            (i32.store (local.get $out) (i32.sub (local.get $k) (i32.const 65536)))
            (local.set $out (i32.add (local.get $out) (i32.shl
              (i32.and
                (i32.and (i32.ge_u (local.get $k) (i32.const 65554)) (i32.lt_u (local.get $k) (local.get $end)))
                (i8x16.all_true
                  (v128.and
                    (i8x16.swizzle
                      (v128.const i8x16 0 0 0x01 0x02 0x04 0x18 0x04 0x08 0 0 0 0 0 0 0 0)
                      (i8x16.shr_u (local.get $v) (i32.const 4)))
                    (i8x16.swizzle
                      (v128.const i8x16 0x0a 0x0e 0x0e 0x0e 0x0e 0x0e 0x0e 0x0e 0x0e 0x0e 0x0c 0x05 0x04 0x07 0x04 0x15)
                      (v128.and (local.get $v) (i8x16.splat (i32.const 15)))))))
              (i32.const 2))))
            (br $tests)))
        (br $blocks)))
    (i32.shr_u (local.get $out) (i32.const 2)))
)
