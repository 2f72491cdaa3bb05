-- An annotated integer local refuses a float.
local count: integer = 0
count = count + 1
count = count / 2 -- expect-error: cannot assign number to `count`, declared integer
print(count)
