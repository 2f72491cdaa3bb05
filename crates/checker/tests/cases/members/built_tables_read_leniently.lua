-- Reading a field a built table does not list yet is not an error.
local t = { a = 1 }
print(t.b, t.a)
