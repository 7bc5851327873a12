# wordfreq.py — exercise 05 (docs/exercises/05-port-python.md): port this
# program to Toy in wordfreq.toy. Run it with: python3 wordfreq.py
#
# Counts the words of input.txt (case-insensitive), then prints the five most
# frequent (ties broken alphabetically), the number of distinct words and the
# longest word (the first one met if several are as long).


def main():
    text = open("input.txt").read()
    counts = {}
    longest = ""
    for word in text.lower().split():
        if word in counts:
            counts[word] += 1
        else:
            counts[word] = 1
        if len(word) > len(longest):
            longest = word
    pairs = []
    for word in counts.keys():
        pairs.append((-counts[word], word))
    pairs.sort()
    for i in range(min(5, len(pairs))):
        print(pairs[i][1], -pairs[i][0])
    print(len(counts), "distinct words")
    print("longest:", longest)


main()
