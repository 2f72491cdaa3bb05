-- A local assigned two different functions is not checked against either.
local f = function(a: string)
    return a
end
f = function(a: string, b: string)
    return a .. b
end
print(f("a", "b"))
