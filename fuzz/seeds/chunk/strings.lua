local s = [==[long
]]string]==] .. "esc\n\x41\u{48}" .. 'q' .. `tick {s}`
-- comment
--[[ long
comment ]]
return #s
