-- Two literals written in the source are compared on purpose: not reported.
print("a" == "b", 1 == "1", true ~= false)
