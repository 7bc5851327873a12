# Twin of wordcount.toy: count N words in a dict of str -> int.
import sys


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    syll = ["ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "de", "fu"]
    vocab = []
    for i in range(1000):
        vocab.append(syll[i % 10] + syll[(i // 10) % 10] + syll[i // 100])
    words = []
    x = 7
    for i in range(n):
        x = (x * 1103515245 + 12345) % 2147483648
        words.append(vocab[(x // 65536) % 1000])
    text = " ".join(words)
    counts = {}
    for w in text.split():
        counts[w] = counts.get(w, 0) + 1
    best, best_word = 0, ""
    for k in counts:
        if counts[k] > best:
            best, best_word = counts[k], k
    print(len(counts), best_word, best)


main()
