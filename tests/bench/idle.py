# Twin of idle.toy: wait 50 ms, print one word; the figure is peak RSS.
import time

time.sleep(0.05)
print("idle")
