;; The detection first pass (trigger.ts) as a WebAssembly kernel: the same
;; sampled-bigram test, about twice as fast as the JavaScript loop (no bounds
;; check per load, one 16-bit load per sample). Assembled by
;; test/helpers/assemble-wasm.mjs into first-pass-wasm-bytes.ts; a test
;; checks that the committed bytes are this file's.
;;
;; Memory (one page = 64 KiB; 8 pages):
;;   [0, 65536)              FLAGS: flags of bigram (b0, b1) at b0 | b1 << 8,
;;                           i.e. what i32.load16_u reads at b0 (little-endian).
;;                           Bit k: some trigger window has the bigram at offset k.
;;   [65536, 131072)         OUT: pairs (group start, window mask) as i32
;;                           (a piece has at most 5,462 groups: 10,924 i32).
;;   [327664, 327680)        16 bytes before the input, never written: zero.
;;   [327680, 327680 + n)    IN: the input (at most PIECE = 65536 + 3 bytes),
;;   then at least 16 zero bytes (the caller writes them).
;;
;; No trigger window contains a zero byte (TriggerTable checks), so a bigram
;; with a zero byte is never flagged: reads before IN or past the input's end
;; see unflagged bigrams, and no window that does not lie inside the input
;; can pass. That is why no load below is guarded.
;;
;; sample(n): for each group g = 0, 12, 24, ... < n of four samples at
;; g, g+3, g+6, g+9, if any sample's bigram is flagged, then if for some
;; sample i a window at i-2, i-1 or i has two of its three bigrams flagged at
;; their offsets (the sample's and the one beside it: a branch-free test
;; that 6 % of samples reach and ~1 % pass), every sample tests its windows
;; at i-2, i-1 and i fully (its bigram is at their offsets 2, 1, 0): a
;; window passes when its three bigrams are flagged at offsets 0, 1, 2. The
;; two-of-three test only filters (a window passing the full test passes
;; it), so the result is the same as testing every flagged sample; it
;; spares the branches per flagged sample (measured 9 % faster on the bench
;; log). WebAssembly calls are not inlined here, hence the four copies. Window p = g - 2 + b sets bit b (0..11) of the group's mask; a
;; group with a non-zero mask appends (g, mask) to OUT. Returns the number of
;; i32 written. Every window start p (p + 3 < n) lies in [i-2, i] for exactly
;; one sample i < n, whose bigram is flagged, so p is tested: the kernel
;; reports exactly what trigger.ts's loop reports.
(module
  (memory (export "memory") 8)

  ;; Mask bits (at bit 0, 1, 2, shifted left by s) of the windows at i-2, i-1, i for sample i = p - IN.
  (func $windows (param $p i32) (param $s i32) (result i32)
    (local $b2 i32) (local $b1 i32) (local $f i32) (local $a1 i32) (local $a2 i32)
    (local.set $b2 (i32.load8_u (i32.load16_u offset=0 (i32.sub (local.get $p) (i32.const 2)))))
    (local.set $b1 (i32.load8_u (i32.load16_u offset=0 (i32.sub (local.get $p) (i32.const 1)))))
    (local.set $f (i32.load8_u (i32.load16_u offset=0 (local.get $p))))
    (local.set $a1 (i32.load8_u (i32.load16_u offset=1 (local.get $p))))
    (local.set $a2 (i32.load8_u (i32.load16_u offset=2 (local.get $p))))
    (i32.shl
      (i32.or
        (i32.or
          ;; window at i - 2: bigrams at i-2, i-1, i are its offsets 0, 1, 2
          (i32.and (i32.and (local.get $b2) (i32.shr_u (local.get $b1) (i32.const 1))) (i32.and (i32.shr_u (local.get $f) (i32.const 2)) (i32.const 1)))
          ;; window at i - 1: bigrams at i-1, i, i+1
          (i32.shl (i32.and (i32.and (local.get $b1) (i32.shr_u (local.get $f) (i32.const 1))) (i32.and (i32.shr_u (local.get $a1) (i32.const 2)) (i32.const 1))) (i32.const 1)))
        ;; window at i: bigrams at i, i+1, i+2
        (i32.shl (i32.and (i32.and (local.get $f) (i32.shr_u (local.get $a1) (i32.const 1))) (i32.and (i32.shr_u (local.get $a2) (i32.const 2)) (i32.const 1))) (i32.const 2)))
      (local.get $s)))

  (func (export "sample") (param $n i32) (result i32)
    (local $g i32) (local $o i32) (local $p i32) (local $m i32)
    (local $f i32) (local $b1 i32) (local $a1 i32) (local $two i32)
    (block $done
      (loop $group
        (br_if $done (i32.ge_u (local.get $g) (local.get $n)))
        (local.set $p (i32.add (i32.const 327680) (local.get $g)))
        ;; Clean text: four flag loads and one branch per 12 bytes.
        (if (i32.or
              (i32.or (i32.load8_u (i32.load16_u offset=0 (local.get $p))) (i32.load8_u (i32.load16_u offset=3 (local.get $p))))
              (i32.or (i32.load8_u (i32.load16_u offset=6 (local.get $p))) (i32.load8_u (i32.load16_u offset=9 (local.get $p)))))
          (then
            (local.set $two (i32.const 0))
        ;; sample g+0
            (local.set $f (i32.load8_u (i32.load16_u offset=0 (local.get $p))))
            (local.set $b1 (i32.load8_u (i32.load16_u offset=0 (i32.sub (local.get $p) (i32.const 1)))))
            (local.set $a1 (i32.load8_u (i32.load16_u offset=1 (local.get $p))))
            (local.set $two (i32.or (local.get $two) (i32.or (i32.or
              (i32.and (i32.shr_u (local.get $f) (i32.const 2)) (i32.shr_u (local.get $b1) (i32.const 1)))
              (i32.and (i32.and (i32.shr_u (local.get $f) (i32.const 1)) (local.get $b1)) (i32.shr_u (local.get $a1) (i32.const 2))))
              (i32.and (local.get $f) (i32.shr_u (local.get $a1) (i32.const 1))))))
            ;; sample g+3
            (local.set $f (i32.load8_u (i32.load16_u offset=3 (local.get $p))))
            (local.set $b1 (i32.load8_u (i32.load16_u offset=2 (local.get $p))))
            (local.set $a1 (i32.load8_u (i32.load16_u offset=4 (local.get $p))))
            (local.set $two (i32.or (local.get $two) (i32.or (i32.or
              (i32.and (i32.shr_u (local.get $f) (i32.const 2)) (i32.shr_u (local.get $b1) (i32.const 1)))
              (i32.and (i32.and (i32.shr_u (local.get $f) (i32.const 1)) (local.get $b1)) (i32.shr_u (local.get $a1) (i32.const 2))))
              (i32.and (local.get $f) (i32.shr_u (local.get $a1) (i32.const 1))))))
            ;; sample g+6
            (local.set $f (i32.load8_u (i32.load16_u offset=6 (local.get $p))))
            (local.set $b1 (i32.load8_u (i32.load16_u offset=5 (local.get $p))))
            (local.set $a1 (i32.load8_u (i32.load16_u offset=7 (local.get $p))))
            (local.set $two (i32.or (local.get $two) (i32.or (i32.or
              (i32.and (i32.shr_u (local.get $f) (i32.const 2)) (i32.shr_u (local.get $b1) (i32.const 1)))
              (i32.and (i32.and (i32.shr_u (local.get $f) (i32.const 1)) (local.get $b1)) (i32.shr_u (local.get $a1) (i32.const 2))))
              (i32.and (local.get $f) (i32.shr_u (local.get $a1) (i32.const 1))))))
            ;; sample g+9
            (local.set $f (i32.load8_u (i32.load16_u offset=9 (local.get $p))))
            (local.set $b1 (i32.load8_u (i32.load16_u offset=8 (local.get $p))))
            (local.set $a1 (i32.load8_u (i32.load16_u offset=10 (local.get $p))))
            (local.set $two (i32.or (local.get $two) (i32.or (i32.or
              (i32.and (i32.shr_u (local.get $f) (i32.const 2)) (i32.shr_u (local.get $b1) (i32.const 1)))
              (i32.and (i32.and (i32.shr_u (local.get $f) (i32.const 1)) (local.get $b1)) (i32.shr_u (local.get $a1) (i32.const 2))))
              (i32.and (local.get $f) (i32.shr_u (local.get $a1) (i32.const 1))))))
            ;; Rarely set: the full test of the group's windows.
            (if (i32.and (local.get $two) (i32.const 1))
              (then
                (local.set $m
                  (i32.or
                    (i32.or (call $windows (local.get $p) (i32.const 0)) (call $windows (i32.add (local.get $p) (i32.const 3)) (i32.const 3)))
                    (i32.or (call $windows (i32.add (local.get $p) (i32.const 6)) (i32.const 6)) (call $windows (i32.add (local.get $p) (i32.const 9)) (i32.const 9)))))
                (if (local.get $m)
                  (then
                    (i32.store offset=65536 (i32.shl (local.get $o) (i32.const 2)) (local.get $g))
                    (i32.store offset=65540 (i32.shl (local.get $o) (i32.const 2)) (local.get $m))
                    (local.set $o (i32.add (local.get $o) (i32.const 2)))))))))
        (local.set $g (i32.add (local.get $g) (i32.const 12)))
        (br $group)))
    (local.get $o)))
