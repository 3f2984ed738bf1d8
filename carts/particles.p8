pico-8 cartridge // http://www.pico-8.com
version 42
__lua__
-- particles: a fountain of 1024 particles, one pset each per frame
-- input: left/right move the nozzle, o holds a gust of wind.
-- rp8 bench cart (our own code).

n=1024
px={} py={} vx={} vy={} pc={}
nozzle=64
wind=0
cols={7,12,12,13,1,1}

function spawn(i)
 px[i]=nozzle+rnd(4)-2
 py[i]=120
 vx[i]=rnd(1.2)-0.6
 vy[i]=-2-rnd(2.2)
 pc[i]=0
end

function _init()
 for i=1,n do
  spawn(i)
  -- spread the first wave over its lifetime: where k frames of
  -- _update would have taken it (gravity adds 0.06 a frame)
  local k=flr(rnd(90))
  px[i]+=vx[i]*k
  py[i]+=vy[i]*k+0.03*k*(k+1)
  vy[i]+=0.06*k
  pc[i]=k
  if py[i]>124 then spawn(i) end
 end
end

function _update()
 if btn(0) then nozzle=max(8,nozzle-1) end
 if btn(1) then nozzle=min(120,nozzle+1) end
 wind=btn(4) and 0.04 or wind*0.9
 for i=1,n do
  local y=py[i]+vy[i]
  vx[i]+=wind
  px[i]+=vx[i]
  vy[i]+=0.06
  if y>124 then
   -- splash: bounce once, then respawn
   if vy[i]>1 and pc[i]<200 then vy[i]*=-0.3 y=124 pc[i]=200 else spawn(i) y=py[i] end
  end
  py[i]=y
  pc[i]+=1
 end
end

function _draw()
 cls(0)
 rectfill(0,125,127,127,1)
 for i=1,n do
  local a=pc[i]
  pset(px[i],py[i],cols[min(6,a\16+1)])
 end
 rectfill(nozzle-3,121,nozzle+3,127,5)
 print(n.." particles",2,2,7)
end
